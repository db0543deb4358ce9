import { QueryFailedError } from 'typeorm';
import { storageAnswer, storageCauseOf, StorageUnavailableError } from './storage-fault';

/** What the pg driver throws: the SQLSTATE in `code`. */
const pgError = (code: string, message: string): Error =>
  Object.assign(new Error(message), { code, severity: 'ERROR' });
const sqliteError = (code: string, message: string): Error => Object.assign(new Error(message), { code, errno: 13 });

describe(storageCauseOf.name, () => {
  it.each([
    {
      name: 'node-sqlite3 SQLITE_FULL',
      error: sqliteError('SQLITE_FULL', 'SQLITE_FULL: database or disk is full'),
      expected: 'SQLITE_FULL',
    },
    {
      name: 'SQLITE_READONLY',
      error: sqliteError('SQLITE_READONLY', 'SQLITE_READONLY: attempt to write a readonly database'),
      expected: 'SQLITE_READONLY',
    },
    {
      name: 'SQLITE_IOERR',
      error: sqliteError('SQLITE_IOERR', 'SQLITE_IOERR: disk I/O error'),
      expected: 'SQLITE_IOERR',
    },
    {
      name: 'wrapped by TypeORM',
      error: new QueryFailedError('INSERT', [], sqliteError('SQLITE_FULL', 'SQLITE_FULL: database or disk is full')),
      expected: 'SQLITE_FULL',
    },
    {
      name: 'a Node ENOSPC',
      error: Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }),
      expected: 'ENOSPC',
    },
    {
      name: 'EROFS as cause',
      error: new Error('write failed', { cause: Object.assign(new Error('x'), { code: 'EROFS' }) }),
      expected: 'EROFS',
    },
    { name: 'only the message', error: new Error('SQLITE_FULL: database or disk is full'), expected: 'SQLITE_FULL' },
    { name: 'already classified', error: new StorageUnavailableError('SQLITE_READONLY'), expected: 'SQLITE_READONLY' },
    {
      name: 'a constraint',
      error: sqliteError('SQLITE_CONSTRAINT', 'SQLITE_CONSTRAINT: UNIQUE constraint failed'),
      expected: null,
    },
    {
      name: 'busy is not storage',
      error: sqliteError('SQLITE_BUSY', 'SQLITE_BUSY: database is locked'),
      expected: null,
    },
    {
      name: 'a code in the middle of a message',
      error: new Error('user wrote SQLITE_FULL in a log line'),
      expected: null,
    },
    {
      name: 'PostgreSQL disk_full, wrapped by TypeORM',
      error: new QueryFailedError('INSERT', [], pgError('53100', 'could not extend file: No space left on device')),
      expected: 'PG_DISK_FULL',
    },
    {
      name: 'PostgreSQL read_only_sql_transaction (a standby)',
      error: pgError('25006', 'cannot execute INSERT in a read-only transaction'),
      expected: 'PG_READ_ONLY',
    },
    { name: 'PostgreSQL io_error', error: pgError('58030', 'could not write block'), expected: 'PG_IO_ERROR' },
    { name: 'a PostgreSQL unique violation', error: pgError('23505', 'duplicate key value'), expected: null },
    { name: 'a PostgreSQL deadlock', error: pgError('40P01', 'deadlock detected'), expected: null },
    { name: 'not an error', error: 'SQLITE_FULL', expected: null },
    { name: 'null', error: null, expected: null },
  ])('$name → $expected', ({ error, expected }) => {
    expect(storageCauseOf(error)).toBe(expected);
  });
});

describe(storageAnswer.name, () => {
  const error = new StorageUnavailableError('SQLITE_FULL', 'ENOSPC: 0 B free of 2.0 MiB on /data');

  it.each([
    {
      url: '/ingest-log/batch',
      status: 507,
      body: { statusCode: 507, error: 'Insufficient Storage', cause: 'SQLITE_FULL' },
    },
    { url: '/decisions', status: 507, body: { statusCode: 507, cause: 'SQLITE_FULL' } },
    { url: '/services/collector/event', status: 503, body: { text: 'Server is busy', code: 9 } },
    { url: '/services/collector/raw?channel=x', status: 503, body: { text: 'Server is busy', code: 9 } },
  ])('$url → $status', ({ url, status, body }) => {
    const answer = storageAnswer(error, url);
    expect(answer.status).toBe(status);
    expect(answer.body).toMatchObject(body);
    // The file system's detail (a path) stays in the log and /health, never in an ingest answer.
    expect(JSON.stringify(answer.body)).not.toContain('/data');
  });
});
