import { spawnSync } from 'node:child_process';
import { isAscii } from 'node:buffer';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { Database, OPEN_READONLY } from 'sqlite3';
import { DataSource } from 'typeorm';
import { MIGRATIONS, storeOptions, writeMigratedStore } from '../src/memory/store';
import { Batch, batchLines, BatchSource } from '../src/replay/line-batches';
import { BASELINE_TIERS_BYTES, cacheFileFor } from '../src/replay/code-cache';
import { batchFileInWorker } from '../src/replay/parse-worker';
import { openReplayApp, ReplayApp } from '../src/replay/replay-app';
import { Replayer } from '../src/replay/replay';

const LOG = [
  // A brute force, then the same address an hour later (event time): blocked twice, longer.
  ...Array.from(
    { length: 5 },
    (_, i) =>
      `Nov 24 10:00:0${i} bastion-1 sshd[${100 + i}]: Failed password for root from 203.0.113.7 port 4000${i} ssh2`,
  ),
  // One IPv6 attacker rotating inside its /64.
  ...Array.from(
    { length: 5 },
    (_, i) =>
      `Nov 24 10:30:0${i} bastion-1 sshd[${300 + i}]: Failed password for root from 2001:db8:9:9::${i + 1} port 4200${i} ssh2`,
  ),
  'Nov 24 10:31:00 bastion-1 sshd[400]: Accepted publickey for alice from 198.51.100.10 port 50000 ssh2',
  'Nov 24 10:31:01 bastion-1 CRON[401]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)',
  ...Array.from(
    { length: 5 },
    (_, i) =>
      `Nov 24 11:00:0${i} bastion-1 sshd[${200 + i}]: Failed password for root from 203.0.113.7 port 4100${i} ssh2`,
  ),
  '',
].join('\n');

const NOW = new Date('2026-11-24T12:00:00Z');

describe(Replayer.name, () => {
  let app: ReplayApp;
  beforeAll(async () => {
    app = await openReplayApp();
  });
  afterAll(() => app.close());

  it('replays a log on event time through the service and says what would have been decided', async () => {
    const lines = createInterface({ input: Readable.from([LOG]), crlfDelay: Infinity });
    const result = await new Replayer(app).batches(
      batchLines(lines, { now: NOW, batchSize: 20_000, batchSpanSeconds: 600 }),
    );
    expect(result.counts).toMatchObject({ lines: 17, parsed: 16, rejected: 1 });
    expect(result.counts.actors.size).toBe(7);
    const blocks = result.decisions
      .filter((d) => d.action === 'block')
      .map((d) => [d.value, d.scope, d.ruleId, (d.expiresAt.getTime() - d.createdAt.getTime()) / 1000]);
    expect(blocks).toEqual([
      ['203.0.113.7', 'ip', 'ssh-brute-force', 600],
      ['2001:db8:9:9::/64', 'range', 'ssh-brute-force', 600],
      ['203.0.113.7', 'ip', 'ssh-brute-force', 1200],
    ]);
    // The decision clock is the log's: the first block starts at its fifth failure.
    expect(result.decisions.find((d) => d.action === 'block')?.createdAt.toISOString()).toBe(
      '2026-11-24T10:00:04.000Z',
    );
  });
});

/** Names of the tables and of the migrations applied in a SQLite file. */
async function schemaOf(file: string): Promise<{ tables: string[]; migrations: string[] }> {
  const db = await new Promise<Database>((resolve, reject) => {
    const opened = new Database(file, OPEN_READONLY, (error) => (error ? reject(error) : resolve(opened)));
  });
  const all = (sql: string) =>
    new Promise<string[]>((resolve, reject) =>
      db.all<{ name: string }>(sql, (error, rows) => (error ? reject(error) : resolve(rows.map((r) => r.name)))),
    );
  try {
    return {
      tables: await all("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
      migrations: await all('SELECT name FROM migrations ORDER BY id'),
    };
  } finally {
    await new Promise((resolve) => db.close(resolve));
  }
}

const everyMigration = MIGRATIONS.map((migration) => migration.name);

describe('openReplayApp from a migrated store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'soc-migrated-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts from a copy of the store, which then records the replay', async () => {
    const store = join(dir, 'migrated.sqlite');
    await writeMigratedStore(store);
    // Only a copy has this table: the migrations never make it.
    const marker = new DataSource(storeOptions(store));
    await marker.initialize();
    await marker.query('CREATE TABLE copied_marker (x INTEGER)');
    await marker.destroy();
    const app = await openReplayApp({}, store);
    try {
      expect(await schemaOf(app.database)).toMatchObject({
        tables: expect.arrayContaining(['copied_marker']),
        migrations: everyMigration,
      });
      const lines = createInterface({ input: Readable.from([LOG]), crlfDelay: Infinity });
      const result = await new Replayer(app).batches(
        batchLines(lines, { now: NOW, batchSize: 20_000, batchSpanSeconds: 600 }),
      );
      expect(result.decisions.filter((d) => d.action === 'block')).toHaveLength(3);
    } finally {
      await app.close();
    }
  });

  it('runs the migrations a stale store lacks, and all of them without a store', async () => {
    const stale = join(dir, 'stale.sqlite');
    const older = new DataSource({ ...storeOptions(stale), migrations: MIGRATIONS.slice(0, -1) });
    await older.initialize();
    await older.destroy();
    for (const store of [stale, join(dir, 'absent.sqlite')]) {
      const app = await openReplayApp({}, store);
      try {
        expect((await schemaOf(app.database)).migrations).toEqual(everyMigration);
      } finally {
        await app.close();
      }
    }
  });
});

describe(batchFileInWorker.name, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'soc-replay-worker-'));
    writeFileSync(join(dir, 'auth.log'), LOG);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const options = { now: NOW, batchSize: 4, batchSpanSeconds: 600 };
  const drain = async (source: BatchSource) => {
    const batches: Batch[] = [];
    for await (const batch of source.batches) {
      batches.push(batch);
    }
    // As plain data: what comes from the worker was built in another realm than jest's.
    const { actors, reasons, ...counts } = source.counts();
    return {
      batches: JSON.parse(JSON.stringify(batches)) as unknown[],
      counts: { ...counts, actors: [...actors].sort(), reasons: [...reasons] },
    };
  };

  it('parses a file on a worker thread into the batches and counts of parsing it here', async () => {
    const here = await drain(batchLines(createInterface({ input: Readable.from([LOG]) }), options));
    const worker = batchFileInWorker(join(dir, 'auth.log'), options);
    try {
      const there = await drain(worker);
      expect(there).toEqual(here);
      expect(there.batches.map((b) => (b as Batch).events.length)).toEqual([4, 1, 4, 2, 4, 1]);
    } finally {
      await worker.close();
    }
  }, 60_000);

  it('fails with the reason when the file cannot be read', async () => {
    const worker = batchFileInWorker(join(dir, 'missing.log'), options);
    try {
      await expect(drain(worker)).rejects.toThrow(/ENOENT/);
    } finally {
      await worker.close();
    }
  }, 60_000);
});

describe('npm run replay', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'soc-replay-cli-'));
    writeFileSync(join(dir, 'auth.log'), LOG);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/replay/main.ts', ...args], {
      encoding: 'utf8',
      cwd: join(__dirname, '..'),
      env: { PATH: process.env.PATH, TS_NODE_TRANSPILE_ONLY: 'true' },
    });

  it('prints machine-readable output with --json', () => {
    const out = run(join(dir, 'auth.log'), '--json', '--now', NOW.toISOString());
    expect(out.status).toBe(0);
    const report = JSON.parse(out.stdout);
    expect(report.summary).toMatchObject({ lines: 17, parsed: 16, rejected: 1, actors: 7, decisions: { block: 3 } });
    expect(report.actors.find((a: { value: string }) => a.value === '203.0.113.7')).toMatchObject({
      scope: 'ip',
      strongest: { action: 'block', ruleId: 'ssh-brute-force', seconds: 1200 },
    });
    expect(report.actors.map((a: { value: string }) => a.value)).toContain('2001:db8:9:9::/64');
    expect(report.policy).toMatch(/^default-2 /);
  }, 60_000);

  it('stops with the reason on a bad policy file, and with the usage on bad arguments', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: x\nrules: []\n');
    const refused = run(join(dir, 'auth.log'), '--policy', bad);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /POLICY_FILE: .*bad\.yaml is not a valid policy:\n {4}rules \(line 2\): must hold 1-200 entries/,
    );
    const usage = run('--format', 'evtx', 'x.log');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/unknown format "evtx"\nusage: npm run replay -- <file>/);
  }, 60_000);
});

/** The log, then a 64 KiB line, this many times: 9 MiB. */
const LARGE_UNITS = 142;
/** Units of a log of about 190 KB. */
const MID_UNITS = 11;

describe('the bundled replay (npm run build:replay, then node dist/replay/cli.js)', () => {
  const root = join(__dirname, '..');
  const built = (file: string) => join(root, 'dist', 'replay', file);
  const cache = cacheFileFor(built('main.bundle.js'));
  const parserCache = cacheFileFor(built('parse-thread.bundle.js'));
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'soc-replay-bundle-'));
    writeFileSync(join(dir, 'auth.log'), LOG);
    // Past the worker's threshold (8 MiB), so that the bundle starts the parse worker; the long
    // lines (rejected: no address) make up the size without making the test slow.
    const unit = `${LOG}${'#'.repeat(1 << 16)}\n`;
    writeFileSync(join(dir, 'large.log'), unit.repeat(LARGE_UNITS));
    // In the band replayed without TurboFan (BASELINE_TIERS_BYTES), made up the same way.
    writeFileSync(join(dir, 'mid.log'), `${LOG}${'#'.repeat(1 << 14)}\n`.repeat(MID_UNITS));
    const build = spawnSync('npm', ['run', '-s', 'build:replay'], { cwd: root, encoding: 'utf8' });
    expect({ status: build.status, stderr: build.stderr }).toMatchObject({ status: 0 });
    rmSync(cache, { force: true });
    rmSync(parserCache, { force: true });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const report = (script: string, file: string): { summary: Record<string, unknown> } & Record<string, unknown> => {
    const out = spawnSync(process.execPath, [script, join(dir, file), '--json', '--now', NOW.toISOString()], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const parsed = JSON.parse(out.stdout);
    // Everything but the timings, which differ from run to run.
    delete parsed.summary.seconds;
    delete parsed.summary.linesPerSecond;
    return parsed;
  };

  it('reports what the compiled sources report, writes its code cache once, then runs from it', () => {
    const compiled = report('dist/replay/main.js', 'auth.log');
    expect(compiled.summary).toMatchObject({ lines: 17, parsed: 16, actors: 7, decisions: { block: 3 } });
    expect(report('dist/replay/cli.js', 'auth.log')).toEqual(compiled);
    const written = [statSync(cache).mtimeMs, statSync(parserCache).mtimeMs];
    expect(report('dist/replay/cli.js', 'auth.log')).toEqual(compiled);
    expect([statSync(cache).mtimeMs, statSync(parserCache).mtimeMs]).toEqual(written);
  }, 60_000);

  it('writes both bundles ASCII-only, which Node reads without decoding', () => {
    for (const bundle of ['main.bundle.js', 'parse-thread.bundle.js']) {
      expect({ bundle, ascii: isAscii(readFileSync(join(root, 'dist', 'replay', bundle))) }).toEqual({
        bundle,
        ascii: true,
      });
    }
  });

  /**
   * Loads one of the replay's bundles in a new Node process as cli.js does (through the code
   * cache): runs `before`, then the bundle (as `bundle`), then `after`, which prints JSON.
   */
  function loadBundle(name: string, before: string, after: string): unknown {
    const probe = join(dir, `probe-${name}.js`);
    const dist = (file: string) => JSON.stringify(join(root, 'dist', 'replay', file));
    writeFileSync(
      probe,
      `${before}
      const { requireWithCodeCache } = require(${dist('code-cache.js')});
      const bundle = requireWithCodeCache(${dist(name)}).exports;
      ${after}`,
    );
    const out = spawnSync(process.execPath, [probe], { cwd: root, encoding: 'utf8' });
    expect(out.stderr).toBe('');
    return JSON.parse(out.stdout);
  }

  it('builds no date format as it loads (src/replay/lazy-logger-dates.ts)', () => {
    // Counts the formats built while the main thread's bundle loads.
    const loaded = loadBundle(
      'main.bundle.js',
      `let built = 0;
      const Format = Intl.DateTimeFormat;
      Intl.DateTimeFormat = function (...args) { built += 1; return new Format(...args); };`,
      'process.stdout.write(JSON.stringify({ atLoad: built, replay: typeof bundle.replay }));',
    );
    expect(loaded).toEqual({ atLoad: 0, replay: 'function' });
  });

  it('loads JSON-record validation in its parse worker only for a JSON line', () => {
    // class-validator keeps its metadata on the global object once a DTO module has loaded.
    const loaded = loadBundle(
      'parse-thread.bundle.js',
      '',
      'process.stdout.write(JSON.stringify({ dtosLoaded: globalThis.classValidatorMetadataStorage !== undefined }));',
    );
    expect(loaded).toEqual({ dtosLoaded: false });
    // A log with JSON lines among syslog ones: the worker loads the validation when they come.
    const json = (ip: string, i: number) =>
      JSON.stringify({
        '@timestamp': `2026-11-24T10:45:0${i}Z`,
        source: { ip },
        event: { outcome: 'failure' },
        message: 'Failed password for root',
      });
    writeFileSync(
      join(dir, 'mixed.log'),
      `${LOG}${Array.from({ length: 6 }, (_, i) => json('198.51.100.99', i)).join('\n')}\n{"source": {"ip": "not an address"}}\n`,
    );
    const compiled = report('dist/replay/main.js', 'mixed.log');
    expect(compiled.summary).toMatchObject({ lines: 24, parsed: 22, rejected: 2 });
    expect(report('dist/replay/cli.js', 'mixed.log')).toEqual(compiled);
  }, 60_000);

  it('writes the store each replay starts from, with every migration applied', async () => {
    expect((await schemaOf(join(root, 'dist', 'replay', 'migrated-store.sqlite'))).migrations).toEqual(everyMigration);
  });

  it('stops with the reason on a missing file, and with the usage on bad arguments', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['dist/replay/cli.js', ...args], { cwd: root, encoding: 'utf8' });
    const missing = cli(join(dir, 'absent.log'));
    expect({ status: missing.status, stderr: missing.stderr }).toEqual({
      status: 1,
      stderr: expect.stringMatching(/^ENOENT: no such file or directory, stat '.*absent\.log'\n$/),
    });
    const usage = cli('--batch', '0', 'x.log');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--batch must be a positive integer\nusage: npm run replay -- <file>/);
  }, 60_000);

  it('replays a log in the band without TurboFan as the compiled sources do, with caches of its own', () => {
    const size = statSync(join(dir, 'mid.log')).size;
    expect(size).toBeGreaterThanOrEqual(BASELINE_TIERS_BYTES.from);
    expect(size).toBeLessThan(BASELINE_TIERS_BYTES.below);
    const caches = ['main.bundle.js', 'parse-thread.bundle.js'].map((bundle) =>
      cacheFileFor(built(bundle), ['--no-opt']),
    );
    caches.forEach((file) => rmSync(file, { force: true }));
    const defaults = () => [cache, parserCache].map((file) => (existsSync(file) ? statSync(file).mtimeMs : 'absent'));
    const before = defaults();
    const compiled = report('dist/replay/main.js', 'mid.log');
    expect(compiled.summary).toMatchObject({ lines: MID_UNITS * 18, rejected: MID_UNITS * 2, actors: 7 });
    expect(report('dist/replay/cli.js', 'mid.log')).toEqual(compiled);
    const written = caches.map((file) => statSync(file).mtimeMs);
    // The second run takes the caches written under its flags, and writes none.
    expect(report('dist/replay/cli.js', 'mid.log')).toEqual(compiled);
    expect(caches.map((file) => statSync(file).mtimeMs)).toEqual(written);
    // The caches of the default flags are left as they were.
    expect(defaults()).toEqual(before);
  }, 120_000);

  it('parses a large log on its worker thread as the compiled sources do', () => {
    const compiled = report('dist/replay/main.js', 'large.log');
    expect(compiled.summary).toMatchObject({ lines: LARGE_UNITS * 18, rejected: LARGE_UNITS * 2, actors: 7 });
    expect(report('dist/replay/cli.js', 'large.log')).toEqual(compiled);
  }, 120_000);
});
