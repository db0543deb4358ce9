/**
 * Storage that cannot take a write: the disk is full or the database (or its filesystem) is
 * read-only. Memory throws StorageUnavailableError for it; the HTTP edges answer 507 (HEC: 503
 * in its own form) instead of a generic 500, and health reports not ready until a write
 * commits again. Nothing is acknowledged that was not committed, so a client retries.
 */
export type StorageCause =
  | 'SQLITE_FULL'
  | 'SQLITE_READONLY'
  | 'SQLITE_IOERR'
  | 'ENOSPC'
  | 'EROFS'
  | 'PG_DISK_FULL'
  | 'PG_READ_ONLY'
  | 'PG_IO_ERROR';

const REASONS: Readonly<Record<StorageCause, string>> = {
  SQLITE_FULL: 'the database is full (SQLITE_FULL): no space left for the write',
  SQLITE_READONLY: 'the database is read-only (SQLITE_READONLY)',
  SQLITE_IOERR: 'the database could not be written (SQLITE_IOERR, a disk I/O error)',
  ENOSPC: 'no space left on the database disk (ENOSPC)',
  EROFS: 'the database file system is read-only (EROFS)',
  PG_DISK_FULL: 'the PostgreSQL server has no space left for the write (53100 disk_full)',
  PG_READ_ONLY: 'the PostgreSQL database takes no writes (25006 read_only_sql_transaction, e.g. a standby)',
  PG_IO_ERROR: 'the PostgreSQL server could not write (58030 io_error)',
};

export class StorageUnavailableError extends Error {
  constructor(
    readonly storageCause: StorageCause,
    /** What the operating system says about the database's directory, when it says more. */
    readonly detail: string | null = null,
  ) {
    super(`storage unavailable: ${REASONS[storageCause]}; nothing was stored, retry later`);
    this.name = StorageUnavailableError.name;
  }
}

const SQLITE_CODES: ReadonlySet<string> = new Set(['SQLITE_FULL', 'SQLITE_READONLY', 'SQLITE_IOERR']);
const OS_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EROFS']);
/** PostgreSQL's SQLSTATE codes (the pg driver's `code`) for the same faults. */
const POSTGRES_CODES: Readonly<Record<string, StorageCause>> = {
  '53100': 'PG_DISK_FULL',
  '25006': 'PG_READ_ONLY',
  '58030': 'PG_IO_ERROR',
};

/**
 * The storage cause of an error, or null when it is something else. Looks at the error, the
 * driver error TypeORM wraps, and `cause`, by their `code` (node-sqlite3 sets `SQLITE_FULL`…,
 * Node sets `ENOSPC`…) or, failing that, by the code at the head of the message.
 */
export function storageCauseOf(error: unknown, depth = 0): StorageCause | null {
  if (error === null || typeof error !== 'object' || depth > 3) {
    return null;
  }
  if (error instanceof StorageUnavailableError) {
    return error.storageCause;
  }
  const { code, message, driverError, cause } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string' && Object.hasOwn(POSTGRES_CODES, code)) {
    return POSTGRES_CODES[code];
  }
  for (const candidate of [code, typeof message === 'string' ? /^(?:Error: )?([A-Z_]+)\b/.exec(message)?.[1] : null]) {
    if (typeof candidate === 'string' && (SQLITE_CODES.has(candidate) || OS_CODES.has(candidate))) {
      return candidate as StorageCause;
    }
  }
  return storageCauseOf(driverError, depth + 1) ?? storageCauseOf(cause, depth + 1);
}

/** How long a client is asked to wait before it retries a write refused for want of storage. */
export const STORAGE_RETRY_AFTER_SECONDS = 30;

/** HEC's "Server is busy" (code 9): forwarders retry it later without dropping the batch. */
export const HEC_SERVER_BUSY = { text: 'Server is busy', code: 9 } as const;

/**
 * The answer to a write refused for want of storage: 507 with the cause on the service's own
 * routes; on Splunk HEC routes (`/services/collector…`), HEC's 503 "Server is busy", which
 * Splunk forwarders and HEC clients treat as "retry later" (a 507 is not in HEC's protocol).
 */
export function storageAnswer(error: StorageUnavailableError, url: string): { status: number; body: object } {
  if (url.startsWith('/services/collector')) {
    return { status: 503, body: { ...HEC_SERVER_BUSY, reason: error.message } };
  }
  return {
    status: 507,
    body: { statusCode: 507, error: 'Insufficient Storage', message: error.message, cause: error.storageCause },
  };
}
