import * as sqlite3 from 'sqlite3';
import type { DataSource } from 'typeorm';
import { Dialect, dialectFor } from './dialect';

export type Row = Record<string, unknown>;

/** The SQLite file a DataSource opens; null for an in-memory database, which has one connection only. */
export function databaseFileOf(dataSource: DataSource): string | null {
  const { database, type } = dataSource.options;
  return type === 'sqlite' && typeof database === 'string' && database !== ':memory:' ? database : null;
}

/** Where the write path reads what is already stored (statements with `?` placeholders). */
export interface StoreReader {
  readonly dialect: Dialect;
  all(sql: string, params: unknown[]): Promise<Row[]>;
}

/** Statements prepared once per SQL text on one connection (the write path runs the same few). */
class PreparedStatements {
  private readonly prepared = new Map<string, sqlite3.Statement>();

  constructor(private readonly db: sqlite3.Database) {}

  of(sql: string): sqlite3.Statement {
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }

  /** Finalizes every statement: a connection with one left open cannot close. */
  async finalize(): Promise<void> {
    const statements = [...this.prepared.values()];
    this.prepared.clear();
    await Promise.all(
      statements.map((statement) => new Promise<void>((resolve) => statement.finalize(() => resolve()))),
    );
  }
}

/**
 * A second, query-only connection to the SQLite file. In WAL mode it reads the last committed
 * state while the writer's connection has a transaction open, so the next write can be worked
 * out while the previous one is still being written.
 */
export class ReadConnection implements StoreReader {
  readonly dialect = dialectFor('sqlite');
  private readonly statements: PreparedStatements;

  private constructor(private readonly db: sqlite3.Database) {
    this.statements = new PreparedStatements(db);
  }

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

  all(sql: string, params: unknown[]): Promise<Row[]> {
    const statement = this.statements.of(sql);
    return new Promise((resolve, reject) => {
      statement.all(params, (error: Error | null, rows: Row[]) => (error === null ? resolve(rows) : reject(error)));
    });
  }

  async close(): Promise<void> {
    await this.statements.finalize();
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
  private readonly statements: PreparedStatements;

  constructor(private readonly db: sqlite3.Database) {
    this.statements = new PreparedStatements(db);
  }

  exec(sql: string): Promise<void> {
    return new Promise((resolve, reject) => this.db.exec(sql, (error) => (error === null ? resolve() : reject(error))));
  }

  run(sql: string, params: unknown[]): Promise<void> {
    const statement = this.statements.of(sql);
    return new Promise((resolve, reject) =>
      statement.run(params, (error: Error | null) => (error === null ? resolve() : reject(error))),
    );
  }

  finalize(): Promise<void> {
    return this.statements.finalize();
  }
}
