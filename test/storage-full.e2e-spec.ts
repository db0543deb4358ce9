import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { PROBE_INTERVAL_MS } from '../src/health/storage-readiness';
import { diagnoseDirectory } from '../src/memory/storage-health';
import { eventually, startApp, TestApp } from './harness';

/** A batch of distinct sshd failures from many addresses, with long messages, to fill pages fast. */
function batch(seq: number, size = 200): object[] {
  return Array.from({ length: size }, (_, i) => ({
    timestamp: new Date().toISOString(),
    source_ip: `10.${seq % 250}.${Math.floor(i / 250)}.${i % 250}`,
    event_type: 'ssh_login_failed',
    message: `Failed password for invalid user u${seq}-${i} from 10.0.0.1 port 22 ssh2 ${'x'.repeat(400)}`,
  }));
}

const count = async (t: TestApp): Promise<number> =>
  Number((await t.app.get(DataSource).query('SELECT COUNT(*) AS n FROM events'))[0].n);

/** Sends batches until one is refused; answers the refusal and how many events were acknowledged. */
async function fillUp(t: TestApp): Promise<{ refusal: request.Response; acknowledged: number }> {
  let acknowledged = 0;
  for (let seq = 0; seq < 2000; seq++) {
    const res = await request(t.server).post('/ingest-log/batch').send(batch(seq));
    if (res.status !== 202 && res.status !== 207 && res.status !== 200) {
      return { refusal: res, acknowledged };
    }
    acknowledged += res.body.accepted ?? 200;
  }
  throw new Error('the store never filled up');
}

async function expectNotReady(t: TestApp, cause: RegExp): Promise<void> {
  const health = await request(t.server).get('/health').expect(503);
  expect(health.body).toMatchObject({ status: 'unavailable', database: 'up', storage: 'unavailable' });
  expect(health.body.cause).toMatch(cause);
  expect(typeof health.body.reason).toBe('string');
  await request(t.server).get('/health/ready').expect(503);
  await request(t.server).get('/health/live').expect(200, { status: 'ok' });
}

describe('storage full (SQLITE_FULL through PRAGMA max_page_count)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('507 with the cause, health not ready, nothing acknowledged lost, then recovery without restart', async () => {
    await request(t.server).get('/health').expect(200, { status: 'ok', database: 'up', storage: 'writable' });
    const db = t.app.get(DataSource);
    const pages = Number((await db.query('PRAGMA page_count'))[0].page_count);
    // The write connection may grow the file by about 100 pages more (400 KiB), then SQLITE_FULL.
    await db.query(`PRAGMA max_page_count = ${pages + 100}`);

    const { refusal, acknowledged } = await fillUp(t);
    expect(refusal.status).toBe(507);
    expect(refusal.headers['retry-after']).toBe('30');
    expect(refusal.body).toMatchObject({ statusCode: 507, error: 'Insufficient Storage', cause: 'SQLITE_FULL' });
    expect(refusal.body.message).toMatch(/database is full \(SQLITE_FULL\).*retry later/);
    expect(await count(t)).toBe(acknowledged);

    await expectNotReady(t, /^SQLITE_FULL$/);
    // Still not ready while the probe cannot grow the store.
    await new Promise((resolve) => setTimeout(resolve, PROBE_INTERVAL_MS + 100));
    await expectNotReady(t, /^SQLITE_FULL$/);

    // Space returns: readiness probes and recovers, and writes go through again.
    const hec = await request(t.server)
      .post('/services/collector/event')
      .send(
        batch(9998)
          .map((event) => JSON.stringify({ event }))
          .join(''),
      );
    expect(hec.status).toBe(503);
    expect(hec.headers['retry-after']).toBe('30');
    expect(hec.body).toMatchObject({ text: 'Server is busy', code: 9 });
    await db.query('PRAGMA max_page_count = 1073741823');
    await eventually(async () => {
      await request(t.server).get('/health').expect(200, { status: 'ok', database: 'up', storage: 'writable' });
    }, 10_000);
    const before = await count(t);
    await request(t.server).post('/ingest-log/batch').send(batch(5000)).expect(202);
    expect(await count(t)).toBe(before + 200);
    await request(t.server)
      .post('/decisions')
      .send({ action: 'block', value: '192.0.2.1', duration: '1h', reason: 'r', by: 'alice' })
      .expect(201);
  }, 30_000);
});

describe('storage read-only (PRAGMA query_only on the write connection)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('507 SQLITE_READONLY, then writes again when it is writable', async () => {
    const db = t.app.get(DataSource);
    await request(t.server).post('/ingest-log/batch').send(batch(1)).expect(202);
    await db.query('PRAGMA query_only = ON');
    const refusal = await request(t.server).post('/ingest-log/batch').send(batch(2)).expect(507);
    expect(refusal.body).toMatchObject({ cause: 'SQLITE_READONLY' });
    expect(refusal.body.message).toMatch(/read-only/);
    await expectNotReady(t, /^SQLITE_READONLY$/);
    expect(await count(t)).toBe(200);
    await db.query('PRAGMA query_only = OFF');
    await request(t.server).post('/ingest-log/batch').send(batch(3)).expect(202);
    await request(t.server).get('/health').expect(200);
  });
});

/**
 * The real thing, where the test runs as root (CI does): the store on a 3 MiB tmpfs, filled
 * until the kernel says ENOSPC, then the file system grown.
 */
function canMountTmpfs(): boolean {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    return false;
  }
  // Root in a container without CAP_SYS_ADMIN cannot mount: then only the portable tests run.
  const probe = mkdtempSync(join(tmpdir(), 'soc-mount-probe-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}

(canMountTmpfs() ? describe : describe.skip)('storage on a real small file system (root: tmpfs)', () => {
  let dir: string;
  let mounted = false;
  let t: TestApp;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'soc-tmpfs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=3m', 'tmpfs', dir]);
    mounted = true;
    t = await startApp({}, join(dir, 'soc.sqlite'));
  });
  afterAll(async () => {
    await t?.close();
    if (mounted) {
      execFileSync('umount', ['-l', dir]);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('disk full: 507 naming ENOSPC, health not ready, recovery when the file system grows', async () => {
    const { refusal, acknowledged } = await fillUp(t);
    expect(refusal.status).toBe(507);
    expect(refusal.body.cause).toMatch(/^SQLITE_(FULL|IOERR)$/);
    await expectNotReady(t, /^ENOSPC$/);
    const health = await request(t.server).get('/health').expect(503);
    expect(health.body.reason).toMatch(/^ENOSPC: \d+ B free of 3\.0 MiB on the database's file system$/);
    expect(await count(t)).toBe(acknowledged);

    execFileSync('mount', ['-o', 'remount,size=64m', dir]);
    await eventually(async () => {
      await request(t.server).get('/health').expect(200);
    }, 10_000);
    await request(t.server).post('/ingest-log/batch').send(batch(7000)).expect(202);
    expect(await count(t)).toBe(acknowledged + 200);
  }, 30_000);

  it('names EROFS for a database on a read-only file system', async () => {
    // Linux refuses to remount a file system read-only while the service has its files open for
    // writing, so a read-only store is shown on the write path by SQLITE_READONLY (above), and
    // the diagnosis on a file system mounted read-only here.
    const readOnly = mkdtempSync(join(tmpdir(), 'soc-rofs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', readOnly]);
    try {
      expect(await diagnoseDirectory(join(readOnly, 'soc.sqlite'))).toEqual({
        code: 'EROFS',
        text: "EROFS: the database's file system is read-only",
      });
    } finally {
      execFileSync('umount', [readOnly]);
      rmSync(readOnly, { recursive: true, force: true });
    }
  });
});
