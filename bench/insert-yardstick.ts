/**
 * The batch-ingest yardstick: the rows the service stores for the bench's events, written
 * with nothing else around them, by the same drivers, in transactions of one batch each:
 *
 * - SQLite: the `sqlite3` package, on a file migrated by the service's own migrations, with
 *   the service's pragmas (WAL, synchronous=FULL, 64 MiB cache, temp store in memory), one
 *   prepared multi-row INSERT of 100 rows run ten times per 1,000-row transaction.
 * - PostgreSQL: the `pg` package, on a database migrated the same way, one multi-row INSERT
 *   of the batch per transaction.
 *
 * Rows are the `events` rows of the bench's JSON events, made by the service's own parsing,
 * detection and row code before the clock starts. Loopback only; each run is bounded in time.
 */
import { Client } from 'pg';
import * as sqlite3 from 'sqlite3';
import { v7 as timeOrderedId } from 'uuid';
import { parseRecord } from '../src/ingest/record';
import { tag } from '../src/ingest/signals/detectors';
import { EVENT_COLUMNS, eventRow, multiRowInsert } from '../src/memory/event-rows';
import { openStore, postgresStoreOptions, storeOptions } from '../src/memory/store';
import { jsonEvent } from './ingest-load';

const ROWS_PER_STATEMENT = 100;

/** `count` events rows, as the service would store the bench's JSON events. */
export function benchRows(count: number): unknown[][] {
  const now = new Date();
  return Array.from({ length: count }, () => {
    const parsed = parseRecord(jsonEvent(), now);
    if (!parsed.ok) {
      throw new Error(`bench event refused: ${parsed.reason}`);
    }
    return eventRow(timeOrderedId(), tag(parsed.event), now);
  });
}

export interface InsertRate {
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

function run(db: sqlite3.Database, sql: string): Promise<void> {
  return new Promise((resolve, reject) => db.exec(sql, (error) => (error === null ? resolve() : reject(error))));
}

/** Rows/s into a freshly migrated SQLite file at `path`, transactions of `batch` rows, for `seconds`. */
export async function sqliteInsertRate(path: string, batch: number, seconds: number): Promise<InsertRate> {
  await (await openStore(storeOptions(path))).destroy();
  const db = await new Promise<sqlite3.Database>((resolve, reject) => {
    const opened: sqlite3.Database = new sqlite3.Database(path, (error) =>
      error === null ? resolve(opened) : reject(error),
    );
  });
  try {
    await run(
      db,
      'PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY',
    );
    const statement = db.prepare(multiRowInsert('events', EVENT_COLUMNS, ROWS_PER_STATEMENT));
    const insert = (values: unknown[]): Promise<void> =>
      new Promise((resolve, reject) =>
        statement.run(values, (error: Error | null) => (error === null ? resolve() : reject(error))),
      );
    const rows = benchRows(batch);
    let written = 0;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      await run(db, 'BEGIN');
      for (let i = 0; i < batch; i += ROWS_PER_STATEMENT) {
        // A fresh id per row: the same rows again would break the primary key.
        const part = rows.slice(i, i + ROWS_PER_STATEMENT).map((row) => [timeOrderedId(), ...row.slice(1)]);
        await insert(part.flat());
      }
      await run(db, 'COMMIT');
      written += batch;
    }
    const elapsed = (performance.now() - started) / 1000;
    await new Promise((resolve) => statement.finalize(resolve));
    return { rows: written, seconds: elapsed, rowsPerSecond: Math.round(written / elapsed) };
  } finally {
    await new Promise((resolve) => db.close(resolve));
  }
}

/** Rows/s into the freshly migrated PostgreSQL database at `url`, one multi-row INSERT per `batch`-row transaction. */
export async function postgresInsertRate(url: string, batch: number, seconds: number): Promise<InsertRate> {
  await (await openStore(postgresStoreOptions(url))).destroy();
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    let n = 0;
    const sql = multiRowInsert('events', EVENT_COLUMNS, batch).replace(/\?/g, () => `$${++n}`);
    const rows = benchRows(batch);
    let written = 0;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) {
      await client.query('BEGIN');
      await client.query({ text: sql, values: rows.flatMap((row) => [timeOrderedId(), ...row.slice(1)]) });
      await client.query('COMMIT');
      written += batch;
    }
    const elapsed = (performance.now() - started) / 1000;
    return { rows: written, seconds: elapsed, rowsPerSecond: Math.round(written / elapsed) };
  } finally {
    await client.end();
  }
}
