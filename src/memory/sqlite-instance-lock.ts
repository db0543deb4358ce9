import { lstatSync } from 'node:fs';
import * as sqlite3 from 'sqlite3';
import { prepareDatabasePath } from './database-path';

/** The start refused: another process serves this SQLite file. */
export class StoreInUseError extends Error {
  constructor(
    readonly databaseFile: string,
    readonly lockFile: string,
  ) {
    super(
      `DATABASE_PATH ${databaseFile} is in use by another process (it holds ${lockFile}). ` +
        'A SQLite store serves one process: stop the other instance, or run several instances on ' +
        'PostgreSQL (DATABASE_TYPE=postgres), which they can share.',
    );
    this.name = StoreInUseError.name;
  }
}

function run(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (error) => (error === null ? resolve() : reject(error))));
}

function close(db: sqlite3.Database): Promise<void> {
  return new Promise((resolve) => db.close(() => resolve()));
}

function open(file: string): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READWRITE | sqlite3.OPEN_CREATE, (error) =>
      error === null ? resolve(db) : reject(error),
    );
  });
}

/**
 * One process per SQLite store. Two processes writing one file would each run their own
 * writer, pipeline and in-memory state over it (and SQLite would make them wait on each
 * other's locks), so a second start on the same file is refused.
 *
 * The lock is SQLite's own, on a companion file `<database>.instance-lock`: a connection in
 * exclusive locking mode with a write transaction open holds an exclusive fcntl lock on it.
 * The operating system drops that lock when the process ends, however it ends (SIGKILL, a
 * crash, a power cut on a local disk), so there is never a stale lock to clean up; and SQLite
 * refuses a second connection in the same process too. (A lock file holding a pid would
 * outlive a killed process, and a pid can be reused.)
 */
export class SqliteInstanceLock {
  private released = false;

  private constructor(
    private readonly db: sqlite3.Database,
    readonly lockFile: string,
  ) {}

  /** Takes the lock of DATABASE_PATH; null for an in-memory database (nothing to share). */
  static async acquire(databasePath: string): Promise<SqliteInstanceLock | null> {
    const file = prepareDatabasePath(databasePath);
    if (file === ':memory:') {
      return null;
    }
    const lockFile = `${file}.instance-lock`;
    if (lstatSync(lockFile, { throwIfNoEntry: false })?.isSymbolicLink() === true) {
      throw new Error(`DATABASE_PATH: ${lockFile} is a symbolic link; refusing to follow it`);
    }
    const db = await open(lockFile);
    try {
      // No busy timeout: a held lock is an answer, not a wait.
      await run(db, 'PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE');
    } catch (error) {
      await close(db);
      if ((error as { code?: string }).code === 'SQLITE_BUSY') {
        throw new StoreInUseError(file, lockFile);
      }
      throw error;
    }
    return new SqliteInstanceLock(db, lockFile);
  }

  /** Lets the next process (or this one, restarted) open the store. */
  async release(): Promise<void> {
    if (this.released) {
      return;
    }
    this.released = true;
    await run(this.db, 'ROLLBACK').catch(() => undefined);
    await close(this.db);
  }
}
