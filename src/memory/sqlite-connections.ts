import * as sqlite3 from 'sqlite3';

export type Row = Record<string, unknown>;

/** Where the write path reads what is already stored. */
export interface StoreReader {
  all(sql: string, params: unknown[]): Promise<Row[]>;
}

/**
 * A second, query-only connection to the SQLite file. In WAL mode it reads the last committed
 * state while the writer's connection has a transaction open, so the next write can be worked
 * out while the previous one is still being written.
 */
export class ReadConnection implements StoreReader {
  private readonly prepared = new Map<string, sqlite3.Statement>();

  private constructor(private readonly db: sqlite3.Database) {}

  static open(file: string): Promise<ReadConnection> {
    return new Promise((resolve, reject) => {
      const db = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (error) => {
        if (error !== null) {
          reject(error);
          return;
        }
        db.configure('busyTimeout', 5000);
        db.exec('PRAGMA query_only = ON', (failure) =>
          failure === null ? resolve(new ReadConnection(db)) : reject(failure),
        );
      });
    });
  }

  /** Runs a query; each distinct SQL text is prepared once (the write path asks the same few). */
  all(sql: string, params: unknown[]): Promise<Row[]> {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    const prepared = statement;
    return new Promise((resolve, reject) => {
      prepared.all(params, (error: Error | null, rows: Row[]) => (error === null ? resolve(rows) : reject(error)));
    });
  }

  async close(): Promise<void> {
    const statements = [...this.prepared.values()];
    this.prepared.clear();
    await Promise.all(
      statements.map((statement) => new Promise<void>((resolve) => statement.finalize(() => resolve()))),
    );
    await new Promise<void>((resolve, reject) =>
      this.db.close((error) => (error === null ? resolve() : reject(error))),
    );
  }
}

/**
 * The write connection's own statements: each insert is prepared once and run for every flush
 * (no parse, no prepare round trip, no finalize on the main thread), and the transaction is
 * begun and ended with `exec`, one round trip each. `finalize` before the connection closes.
 */
export class WriteStatements {
  private readonly prepared = new Map<string, sqlite3.Statement>();

  constructor(private readonly db: sqlite3.Database) {}

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (error) => (error === null ? resolve() : reject(error))));
  }

  run(sql: string, params: unknown[]): Promise<void> {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    const prepared = statement;
    return new Promise((resolve, reject) =>
      prepared.run(params, (error: Error | null) => (error === null ? resolve() : reject(error))),
    );
  }

  async finalize(): Promise<void> {
    const statements = [...this.prepared.values()];
    this.prepared.clear();
    await Promise.all(
      statements.map((statement) => new Promise<void>((resolve) => statement.finalize(() => resolve()))),
    );
  }
}
