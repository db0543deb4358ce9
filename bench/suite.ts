/**
 * `npm run bench`: every speed and memory target of the service in one run, each figure next
 * to a yardstick measured in the same run on the same machine, and the ratio. Loopback only,
 * bounded in time (about 10 minutes on two cores; `--quick` about 3). Prints a Markdown report (the README's
 * Performance section is one such report, pasted as printed).
 *
 *   npm run bench [-- --quick] [--only ingest|postgres|parsers|replay] [--lines 1000000]
 *     [--postgres postgres://postgres@127.0.0.1:5432/postgres]
 *
 * - Single events: the built service (guard, rate limiter, validation, detection, a durable
 *   write per request) under 50 connections for 2 minutes, against a bare NestJS-on-Fastify
 *   handler answering the same POST (bench/bare-handler.ts). Target: 0.5, sustained.
 * - Batches: 1,000 JSON events per request from 8 forwarders (one connection and 2,000 actors
 *   in networks of their own each), and 1,000 raw sshd lines per request over 8 connections, on
 *   SQLite; the JSON batches on PostgreSQL; against the same events' rows written by the same drivers with multi-row
 *   INSERTs in a transaction per batch (bench/insert-yardstick.ts). Target: 0.6. Two
 *   instances on one PostgreSQL against one (issue 15's target: 1.6).
 * - Replay: `npm run replay`'s program on generated sshd and access logs against
 *   fail2ban-regex (sshd filter; apache-badbots), via bench/replay-vs-fail2ban.ts. Target: 2
 *   times faster in CPU and wall time, with less memory. fail2ban comes from Debian: installed
 *   here when missing and running as root with apt-get.
 * - Parsing and detection per format, in-process (bench/parsers.bench.ts), against parsing alone.
 * - Memory: each service's peak RSS (VmHWM) over its cases.
 */
import { ChildProcess, execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBuiltService, startOnFreePort } from './built-service';
import { postgresInsertRate, sqliteInsertRate } from './insert-yardstick';
import { jsonEvent, rawSshdLine } from './ingest-load';
import { BATCH, cycle, drive, driveForwarders, Driven, stop, withDatabase } from './load';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const QUICK = args.includes('--quick');
const ONLY = option('only', 'all');
const SINGLE_SECONDS = QUICK ? 20 : 120;
const CASE_SECONDS = QUICK ? 8 : 20;
const YARDSTICK_SECONDS = QUICK ? 5 : 10;
const LINES = Number(option('lines', QUICK ? '200000' : '1000000'));
const POSTGRES = option('postgres', process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(POSTGRES).hostname)) {
  throw new Error('the benchmark only targets loopback');
}
const SERVICE = { INGEST_RATE_LIMIT: '1000000', INGEST_MAX_BODY: String(16 * 1024 * 1024) };

const report: string[] = [];
const say = (line = ''): void => {
  report.push(line);
  process.stderr.write(`${line}\n`);
};
const ratio = (ours: number, yardstick: number): string => (yardstick > 0 ? (ours / yardstick).toFixed(2) : 'n/a');
const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Peak resident set (VmHWM) of a live process, MiB. */
function peakRssMiB(pid: number | undefined): number {
  if (pid === undefined) {
    return NaN;
  }
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match === null ? NaN : Math.round(Number(match[1]) / 1024);
}

/** CPU seconds (user + system) a live process has used so far. */
function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined) {
    return NaN;
  }
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The machine's busy and total CPU time so far (all cores, /proc/stat), in ticks. */
function machineTicks(): { busy: number; total: number } {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = values.map(Number);
  const idle = ticks[3] + (ticks[4] ?? 0);
  const total = ticks.slice(0, 8).reduce((sum, n) => sum + n, 0);
  return { busy: total - idle, total };
}

/**
 * Runs `work` and says how busy the CPUs were meanwhile: the cores the given processes used
 * (CPU seconds per wall second) and the share of the whole machine that was busy.
 */
async function withCpu<T>(pids: (number | undefined)[], work: () => Promise<T>): Promise<{ result: T; cpu: string }> {
  const before = pids.map(cpuSecondsOf);
  const machine = machineTicks();
  const started = performance.now();
  const result = await work();
  const seconds = (performance.now() - started) / 1000;
  const after = machineTicks();
  const cores = pids.map((pid, i) => ((cpuSecondsOf(pid) - before[i]) / seconds).toFixed(2));
  const busy = Math.round((100 * (after.busy - machine.busy)) / (after.total - machine.total));
  return {
    result,
    cpu: `service process${pids.length > 1 ? 'es' : ''} ${cores.join(' + ')} cores, machine ${busy}% busy`,
  };
}

const single = (): string => JSON.stringify(jsonEvent());
const rawBatch = cycle((): string => Array.from({ length: BATCH }, rawSshdLine).join('\n'));

/** The yardstick handler (bench/bare-handler.ts) in a process of its own, like the service. */
function bareHandler(): Promise<{ url: string; child: ChildProcess }> {
  return startOnFreePort(
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'bare-handler.ts')],
    {},
    {
      readyPath: '/health',
      startupSeconds: 30,
    },
  );
}

async function ingestOnSqlite(): Promise<void> {
  say("### Ingest on SQLite (one instance, every commit fsync'd)");
  say();
  const bare = await bareHandler();
  let yardstick: Driven;
  try {
    yardstick = await drive(`${bare.url}/ingest-log`, 50, CASE_SECONDS, single, 1);
  } finally {
    await stop(bare.child);
  }
  const dir = mkdtempSync(join(tmpdir(), 'soc-bench-'));
  try {
    const service = await startBuiltService({ ...SERVICE, DATABASE_PATH: join(dir, 'bench.sqlite') });
    let ours: Driven;
    let batch: Driven;
    let raw: Driven;
    let rss: number;
    let singleCpu = '';
    let batchCpu = '';
    try {
      const singles = await withCpu([service.child.pid], () =>
        drive(`${service.url}/ingest-log`, 50, SINGLE_SECONDS, single, 1),
      );
      ours = singles.result;
      singleCpu = singles.cpu;
      const batches = await withCpu([service.child.pid], () =>
        driveForwarders(`${service.url}/ingest-log/batch`, 8, CASE_SECONDS),
      );
      batch = batches.result;
      batchCpu = batches.cpu;
      raw = await drive(`${service.url}/ingest-log/raw`, 8, CASE_SECONDS, rawBatch, BATCH, 'text/plain');
      rss = peakRssMiB(service.child.pid);
    } finally {
      await stop(service.child);
    }
    const insert = await sqliteInsertRate(join(dir, 'yardstick.sqlite'), BATCH, YARDSTICK_SECONDS);
    say('| case | ours, events/s | yardstick | yardstick, /s | ratio (target) |');
    say('|---|---|---|---|---|');
    say(
      `| single event, 50 connections, ${SINGLE_SECONDS} s (p50 ${ours.p50} ms) | ${int(ours.perSecond)} (last ${Math.min(30, SINGLE_SECONDS)} s: ${int(ours.lastPerSecond)}) | bare NestJS-on-Fastify handler, same POST, ${CASE_SECONDS} s | ${int(yardstick.perSecond)} | ${ratio(ours.perSecond, yardstick.perSecond)}, last ${Math.min(30, SINGLE_SECONDS)} s ${ratio(ours.lastPerSecond, yardstick.perSecond)} (0.5) |`,
    );
    say(
      `| batches of 1,000 JSON events from 8 forwarders, ${CASE_SECONDS} s | ${int(batch.perSecond)} | the same events' rows, sqlite3 multi-row INSERTs, a transaction per 1,000, same schema and pragmas | ${int(insert.rowsPerSecond)} | ${ratio(batch.perSecond, insert.rowsPerSecond)} (0.6) |`,
    );
    say(
      `| batches of 1,000 raw sshd lines, 8 connections, ${CASE_SECONDS} s | ${int(raw.perSecond)} | (as above) | ${int(insert.rowsPerSecond)} | ${ratio(raw.perSecond, insert.rowsPerSecond)} (0.6) |`,
    );
    say();
    say(`CPU while driven: single events: ${singleCpu}; JSON batches: ${batchCpu}.`);
    say(
      `Service peak RSS over these cases: ${rss} MiB. Refused or failed requests: ${ours.refused + batch.refused + raw.refused}.`,
    );
    say();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ingestOnPostgres(): Promise<void> {
  say(
    '### Ingest on PostgreSQL (batches of 1,000 JSON events from 8 forwarders, one connection and 2,000 actors of its own each)',
  );
  say();
  const settings = (url: string) => ({ ...SERVICE, DATABASE_TYPE: 'postgres', DATABASE_URL: url });
  const one = await withDatabase(POSTGRES, 'one', async (url) => {
    const service = await startBuiltService(settings(url), { readyPath: '/health/ready', startupSeconds: 60 });
    try {
      const { result, cpu } = await withCpu([service.child.pid], () =>
        driveForwarders(`${service.url}/ingest-log/batch`, 8, CASE_SECONDS),
      );
      return { driven: result, cpu, rss: peakRssMiB(service.child.pid) };
    } finally {
      await stop(service.child);
    }
  });
  const two = await withDatabase(POSTGRES, 'two', async (url) => {
    const services = [
      await startBuiltService(settings(url), { readyPath: '/health/ready', startupSeconds: 60 }),
      await startBuiltService(settings(url), { readyPath: '/health/ready', startupSeconds: 60 }),
    ];
    try {
      const { result, cpu } = await withCpu(
        services.map((s) => s.child.pid),
        () => Promise.all(services.map((s, i) => driveForwarders(`${s.url}/ingest-log/batch`, 4, CASE_SECONDS, i * 4))),
      );
      return { perSecond: result.reduce((sum, run) => sum + run.perSecond, 0), cpu };
    } finally {
      await Promise.all(services.map((s) => stop(s.child)));
    }
  });
  const insert = await withDatabase(POSTGRES, 'yardstick', (url) => postgresInsertRate(url, BATCH, YARDSTICK_SECONDS));
  say('| case | ours, events/s | yardstick | yardstick, /s | ratio (target) |');
  say('|---|---|---|---|---|');
  say(
    `| one instance, ${CASE_SECONDS} s | ${int(one.driven.perSecond)} | the same events' rows, pg multi-row INSERT, a transaction per 1,000 | ${int(insert.rowsPerSecond)} | ${ratio(one.driven.perSecond, insert.rowsPerSecond)} (0.6) |`,
  );
  say(
    `| two instances on one database, 4 forwarders each, ${CASE_SECONDS} s | ${int(two.perSecond)} | one instance, above | ${int(one.driven.perSecond)} | ${ratio(two.perSecond, one.driven.perSecond)} (1.6) |`,
  );
  say();
  say(
    `CPU while driven: one instance: ${one.cpu}; two instances: ${two.cpu}. One instance's peak RSS: ${one.rss} MiB.`,
  );
  say();
}

function ensureFail2ban(): void {
  if (spawnSync('fail2ban-regex', ['--version'], { stdio: 'ignore' }).status === 0) {
    return;
  }
  if (process.getuid?.() !== 0 || spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status !== 0) {
    throw new Error('fail2ban-regex is missing: apt-get install -y --no-install-recommends fail2ban (as root)');
  }
  // Debian's package, without starting its service (policy-rc.d refuses every start).
  if (!existsSync('/usr/sbin/policy-rc.d')) {
    writeFileSync('/usr/sbin/policy-rc.d', '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  }
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'fail2ban'], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    stdio: 'inherit',
  });
}

/** A generated log of `lines` lines, kept between runs in the temporary directory. */
function generatedLog(generator: string, lines: number): string {
  const dir = join(tmpdir(), 'soc-bench-logs');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${generator}-${lines}.log`);
  if (!existsSync(file) || statSync(file).size === 0) {
    const out = spawnSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', join(__dirname, `${generator}.gen.ts`), '--lines', String(lines)],
      {
        maxBuffer: 1 << 30,
      },
    );
    if (out.status !== 0) {
      throw new Error(`${generator}.gen.ts failed: ${String(out.stderr)}`);
    }
    writeFileSync(file, out.stdout);
  }
  return file;
}

interface Comparison {
  fail2banRegex: { seconds: number; cpuSeconds: number; maxRssMiB: number };
  replay: { seconds: number; cpuSeconds: number; maxRssMiB: number; blockedAddresses: number };
  agreement: { both: number; onlyFail2ban: string[]; onlyReplay: number };
}

function compare(file: string, filter?: string): Comparison {
  const argv = ['-r', 'ts-node/register/transpile-only', join(__dirname, 'replay-vs-fail2ban.ts'), file, '--runs', '1'];
  const out = spawnSync(process.execPath, filter === undefined ? argv : [...argv, '--filter', filter], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (out.status !== 0) {
    throw new Error(`replay-vs-fail2ban failed: ${out.stderr}`);
  }
  return JSON.parse(out.stdout) as Comparison;
}

function replayAgainstFail2ban(): void {
  ensureFail2ban();
  say(`### Replay of ${int(LINES)} lines against fail2ban-regex (Debian's)`);
  say();
  say(
    "| log (fail2ban filter) | fail2ban-regex: wall s, CPU s, peak RSS MiB | replay: wall s, CPU s, peak RSS MiB | fail2ban-regex / replay, wall; CPU (target 2) | replay RSS / fail2ban-regex's (target < 1) | same addresses |",
  );
  say('|---|---|---|---|---|---|');
  const cases: [string, string, string | undefined][] = [
    ['sshd auth.log (sshd, normal)', 'auth-log', undefined],
    ['combined access log (apache-badbots)', 'access-log', '/etc/fail2ban/filter.d/apache-badbots.conf'],
  ];
  for (const [title, generator, filter] of cases) {
    const c = compare(generatedLog(generator, LINES), filter);
    const f = c.fail2banRegex;
    const r = c.replay;
    say(
      `| ${title} | ${f.seconds}, ${f.cpuSeconds}, ${f.maxRssMiB} | ${r.seconds}, ${r.cpuSeconds}, ${r.maxRssMiB} | ${ratio(f.seconds, r.seconds)}; ${ratio(f.cpuSeconds, r.cpuSeconds)} | ${ratio(r.maxRssMiB, f.maxRssMiB)} | ${c.agreement.both} banned by both, ${c.agreement.onlyFail2ban.length} by fail2ban only |`,
    );
  }
  say();
}

/** bench/parsers.bench.ts in a process of its own: parsing alone is the yardstick of parsing and detection. */
function parsersAndDetection(): void {
  const out = spawnSync(
    process.execPath,
    [
      '-r',
      'ts-node/register/transpile-only',
      join(__dirname, 'parsers.bench.ts'),
      String(QUICK ? 50_000 : 200_000),
      '--json',
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  if (out.status !== 0) {
    throw new Error(`parsers.bench.ts failed: ${out.stderr}`);
  }
  const rows = JSON.parse(out.stdout) as Record<string, number | string>[];
  say('### Parsing and detection, in-process, one core (issue 14: above 50,000 lines/s for access logs)');
  say();
  say('| format | parsed, lines/s (yardstick) | parsed and tagged, lines/s | ratio |');
  say('|---|---|---|---|');
  for (const row of rows) {
    say(
      `| ${row.format} | ${int(Number(row['parse lines/s']))} | ${int(Number(row['parse+detect lines/s']))} | ${row['detect/parse']} |`,
    );
  }
  say();
}

function commit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const build = spawnSync('npm', ['run', '-s', 'build:service'], { stdio: 'inherit' });
  if (build.status !== 0) {
    throw new Error('the build failed');
  }
  const cpu = cpus();
  say(
    `## \`npm run bench\`${QUICK ? ' --quick' : ''}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, commit ${commit()}`,
  );
  say();
  say(
    `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown'}), Node ${process.version}, load average at start ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; load generator on the same machine.`,
  );
  say();
  if (ONLY === 'all' || ONLY === 'ingest') {
    await ingestOnSqlite();
  }
  if (ONLY === 'all' || ONLY === 'postgres') {
    await ingestOnPostgres();
  }
  if (ONLY === 'all' || ONLY === 'parsers') {
    parsersAndDetection();
  }
  if (ONLY === 'all' || ONLY === 'replay') {
    replayAgainstFail2ban();
  }
  process.stdout.write(`${report.join('\n')}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
