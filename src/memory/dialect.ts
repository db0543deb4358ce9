import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

/** The two stores Memory runs on: one file for one instance, or a server for many. */
export type StoreType = 'sqlite' | 'postgres';

/**
 * Where the SQL of the two stores differs, in one place. Memory's statements are written with
 * `?` placeholders and the pieces below; `sql` turns them into what the driver takes.
 */
export interface Dialect {
  readonly type: StoreType;
  /** The statement with its placeholders as the driver takes them (`?`, or `$1`, `$2`… in order). */
  sql(text: string): string;
  /** `IN (…)` over a list of text keys bound as one JSON array (a single parameter however long). */
  readonly inJsonList: string;
  /** The larger of two values: SQLite's two-argument MAX, PostgreSQL's GREATEST. */
  readonly greatest: string;
  /** `INSERT INTO t (cols) SELECT … FROM <rows bound as one JSON parameter> WHERE true`. */
  jsonRowsInsert(table: string, columns: readonly string[]): string;
  /** The JSON text bound to jsonRowsInsert: arrays of values (SQLite) or objects by column (PostgreSQL). */
  jsonRows(columns: readonly string[], rows: unknown[][]): string;
  /** Deletes up to a bound number of rows (`?` last) chosen by `where`; the statement answers `n`, how many went. */
  limitedDelete(table: string, where: string): string[];
  /** Writes storage_probe row `?` at `?` with 1 MiB that must take new pages (see MemoryTx.probeStorage). */
  readonly probeInsert: string;
  /** A row's values as the store can hold them (PostgreSQL text cannot hold NUL: it becomes U+FFFD). */
  storable(row: unknown[]): unknown[];
}

/** `?` placeholders (never inside a literal in Memory's SQL) numbered `$1…` in order. */
function numbered(text: string): string {
  let n = 0;
  return text.replace(/\?/g, () => `$${++n}`);
}

const SQLITE: Dialect = {
  type: 'sqlite',
  sql: (text) => text,
  inJsonList: 'IN (SELECT value FROM json_each(?))',
  greatest: 'MAX',
  /**
   * One parameter instead of one per value: node-sqlite3 converts bound values one by one on
   * the main thread, while SQLite reads the JSON on its own thread. Text, integers, reals and
   * null keep their SQL types (`->>` returns SQL values). `WHERE true` lets an `ON CONFLICT`
   * clause follow the SELECT unambiguously.
   */
  jsonRowsInsert(table, columns) {
    const values = columns.map((_, index) => `value ->> ${index}`).join(', ');
    return `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${values} FROM json_each(?) WHERE true`;
  },
  jsonRows: (_columns, rows) => JSON.stringify(rows),
  // changes() counts the rows of the connection's last INSERT, UPDATE or DELETE.
  limitedDelete: (table, where) => [
    `DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} WHERE ${where} LIMIT ?)`,
    'SELECT changes() AS n',
  ],
  probeInsert: 'INSERT OR REPLACE INTO storage_probe (id, at, filler) VALUES (?, ?, zeroblob(1048576))',
  storable: (row) => row,
};

const statements = new Map<string, string>();

const POSTGRES: Dialect = {
  type: 'postgres',
  sql(text) {
    let converted = statements.get(text);
    if (converted === undefined) {
      converted = numbered(text);
      if (statements.size < 10_000) {
        statements.set(text, converted);
      }
    }
    return converted;
  },
  inJsonList: 'IN (SELECT jsonb_array_elements_text(?::jsonb))',
  greatest: 'GREATEST',
  /** The table's own row type converts each value (bigint, integer, text, real) from the JSON. */
  jsonRowsInsert(table, columns) {
    const list = columns.join(', ');
    return `INSERT INTO ${table} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${table}, ?::json) WHERE true`;
  },
  jsonRows: (columns, rows) =>
    JSON.stringify(rows.map((row) => Object.fromEntries(columns.map((column, index) => [column, row[index]])))),
  limitedDelete: (table, where) => [
    `WITH gone AS (DELETE FROM ${table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM ${table} WHERE ${where} LIMIT ?))
     RETURNING 1) SELECT COUNT(*) AS n FROM gone`,
  ],
  probeInsert: `INSERT INTO storage_probe (id, at, filler) VALUES (?, ?, decode(repeat('00', 1048576), 'hex'))
    ON CONFLICT (id) DO UPDATE SET at = excluded.at, filler = excluded.filler`,
  storable: (row) =>
    row.map((value) => (typeof value === 'string' && value.includes('\0') ? value.replaceAll('\0', '\ufffd') : value)),
};

export function dialectOf(dataSource: DataSource): Dialect {
  return dataSource.options.type === 'postgres' ? POSTGRES : SQLITE;
}

/** The dialect of a store type (for code that has no DataSource at hand). */
export function dialectFor(type: StoreType): Dialect {
  return type === 'postgres' ? POSTGRES : SQLITE;
}

/**
 * A PostgreSQL advisory-lock key (a signed 64-bit integer, as text) for a name: the first 8
 * bytes of its SHA-256. The `soc:` namespace keeps clear of other users of the database.
 */
export function lockKey(name: string): string {
  return createHash('sha256').update(`soc:${name}`).digest().readBigInt64BE(0).toString();
}

/**
 * Takes PostgreSQL transaction-level advisory locks on `names` in one statement, in ascending
 * key order (every instance orders them the same way, so two flushes cannot wait on each
 * other in a cycle). Held until the transaction ends. Nothing to do on SQLite: one writer.
 */
export function lockStatement(names: Iterable<string>): { sql: string; parameters: unknown[] } | null {
  const keys = [...new Set([...names].map(lockKey))].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
  if (keys.length === 0) {
    return null;
  }
  return {
    sql: `SELECT COUNT(*) AS n FROM (SELECT pg_advisory_xact_lock(k) FROM
            (SELECT unnest($1::bigint[]) AS k ORDER BY k) AS sorted) AS held`,
    parameters: [keys],
  };
}
