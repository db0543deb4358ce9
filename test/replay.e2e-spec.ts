import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { Batch, batchLines, BatchSource } from '../src/replay/line-batches';
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

/** The log, then a 64 KiB line, this many times: 9 MiB, past the worker's threshold. */
const LARGE_UNITS = 142;

describe('the built replay (npm run build:service, then node dist/replay/main.js)', () => {
  const root = join(__dirname, '..');
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'soc-replay-built-'));
    writeFileSync(join(dir, 'auth.log'), LOG);
    // The long lines (rejected: no address) make up the size without making the test slow.
    writeFileSync(join(dir, 'large.log'), `${LOG}${'#'.repeat(1 << 16)}\n`.repeat(LARGE_UNITS));
    const build = spawnSync('npm', ['run', '-s', 'build:service'], { cwd: root, encoding: 'utf8' });
    expect({ status: build.status, stderr: build.stderr }).toMatchObject({ status: 0 });
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const built = (...args: string[]) =>
    spawnSync(process.execPath, ['dist/replay/main.js', ...args], {
      cwd: root,
      encoding: 'utf8',
      env: { PATH: process.env.PATH },
    });
  const report = (file: string): { summary: Record<string, unknown> } & Record<string, unknown> => {
    const out = built(join(dir, file), '--json', '--now', NOW.toISOString());
    expect(out.stderr).toBe('');
    expect(out.status).toBe(0);
    const parsed = JSON.parse(out.stdout);
    // Everything but the timings, which differ from run to run.
    delete parsed.summary.seconds;
    delete parsed.summary.linesPerSecond;
    return parsed;
  };

  it("replays from the service's own build, parsing a large log on its worker thread", () => {
    const small = report('auth.log');
    expect(small.summary).toMatchObject({ lines: 17, parsed: 16, actors: 7, decisions: { block: 3 } });
    expect(statSync(join(dir, 'large.log')).size).toBeGreaterThanOrEqual(8 * 1024 * 1024);
    const large = report('large.log');
    expect(large.summary).toMatchObject({ lines: LARGE_UNITS * 18, rejected: LARGE_UNITS * 2, actors: 7 });
    expect(large.actors).toEqual(small.actors);
  }, 120_000);

  it('stops with the reason on a missing file, and with the usage on bad arguments', () => {
    const missing = built(join(dir, 'absent.log'));
    expect({ status: missing.status, stderr: missing.stderr }).toEqual({
      status: 1,
      stderr: expect.stringMatching(/ENOENT: no such file or directory.*absent\.log/),
    });
    const usage = built('--batch', '0', 'x.log');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/--batch must be a positive integer\nusage: npm run replay -- <file>/);
  }, 60_000);
});
