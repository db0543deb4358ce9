/**
 * Sustained single-event ingest from one client address, with the rate limiter in the path:
 * does throughput hold over minutes, or does the limiter's bookkeeping slow ingest as it works?
 *
 *   npm run bench:sustained                       # builds, then 150 s against its own server
 *   npm run bench:sustained -- --duration 300 --connections 10 --actors 200
 *
 * The server it starts has the real limiter (INGEST_RATE_LIMIT left at its default, 500/min)
 * and a named ingest token whose own per-address limit (SOC_INGEST_TOKENS `bench:…:limit`) is
 * high enough never to refuse: every request goes through the throttler storage, none is 429.
 * It prints the 2xx rate of the first and the last 30 s and their ratio (target ≥ 0.9), the
 * server's CPU time per request in the same two spans (steadier on a shared machine), and,
 * as a yardstick from the same run, the same question asked of the storages alone: the stock
 * ThrottlerStorageService's time per hit after 20,000 hits on one key against its first ones,
 * and the sliding-window storage's.
 */
import autocannon from 'autocannon';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SlidingWindowThrottlerStorage } from '../src/common/auth/sliding-window.storage';

const EDGE_SECONDS = 30;
/** Linux's USER_HZ, the unit of /proc/<pid>/stat times (100 on every common build). */
const TICKS_PER_SECOND = 100;

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? fallback : Number(process.argv[index + 1]);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`--${name} must be a positive number`);
  }
  return value;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function startServer(token: string): Promise<{ url: string; child: ChildProcess; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'soc-sustained-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: join(dir, 'bench.sqlite'),
      SOC_INGEST_TOKENS: `bench:${token}:1000000`,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 200; attempt += 1) {
    try {
      if ((await fetch(`${url}/health`)).ok) {
        return { url, child, dir };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error('server did not start within 20 s');
}

let sequence = 0;
let actors = 2000;
function event(): string {
  sequence += 1;
  const actor = sequence % actors;
  return JSON.stringify({
    timestamp: new Date().toISOString(),
    host: 'bastion-1',
    message: `Failed password for invalid user u${sequence % 50} from 198.51.${actor >> 8}.${actor & 255} port ${1024 + (sequence % 60000)} ssh2`,
  });
}

/** CPU seconds (user + system, every thread) the process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  try {
    // Fields after the command name (which is in parentheses): utime and stime are 14 and 15.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/**
 * 2xx answers per elapsed second, counted as they arrive, and the server's CPU time per
 * second. On a shared machine the wall-clock rate follows the other tenants' load; the
 * server's CPU time per request does much less, so both are reported.
 */
async function sustained(url: string, token: string, duration: number, connections: number, pid: number) {
  const perSecond = new Array<number>(duration + 1).fill(0);
  const cpuAt: number[] = [cpuSeconds(pid)];
  const statuses = new Map<number, number>();
  const start = Date.now();
  const sampler = setInterval(() => cpuAt.push(cpuSeconds(pid)), 1000);
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: `${url}/ingest-log`,
        method: 'POST',
        connections,
        duration,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        requests: [{ setupRequest: (request) => ({ ...request, body: event() }) }],
      },
      (error, result) => (error === null || error === undefined ? resolve(result) : reject(error as Error)),
    );
  });
  instance?.on('response', (_client: unknown, statusCode: number) => {
    statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    if (statusCode >= 200 && statusCode < 300) {
      const second = Math.min(duration, Math.floor((Date.now() - start) / 1000));
      perSecond[second] += 1;
    }
  });
  const result = await finished;
  clearInterval(sampler);
  const cpuPerRequest = (from: number, to: number) =>
    (1e3 * (cpuAt[Math.min(to, cpuAt.length - 1)] - cpuAt[from])) /
    perSecond.slice(from, Math.min(to, cpuAt.length - 1)).reduce((sum, count) => sum + count, 0);
  const rate = (seconds: number[]) => seconds.reduce((sum, count) => sum + count, 0) / seconds.length;
  const first = rate(perSecond.slice(0, EDGE_SECONDS));
  const last = rate(perSecond.slice(duration - EDGE_SECONDS, duration));
  const series = Array.from({ length: Math.floor(duration / 10) }, (_, i) =>
    Math.round(rate(perSecond.slice(i * 10, i * 10 + 10))),
  );
  const cpu = { first: cpuPerRequest(0, EDGE_SECONDS), last: cpuPerRequest(duration - EDGE_SECONDS, duration) };
  const cpuSeries = Array.from({ length: Math.floor(duration / EDGE_SECONDS) }, (_, i) =>
    cpuPerRequest(i * EDGE_SECONDS, (i + 1) * EDGE_SECONDS).toFixed(3),
  );
  return {
    first,
    last,
    series,
    cpu,
    cpuSeries,
    statuses,
    errors: result.errors + result.timeouts,
    total: result.requests.total,
  };
}

/** µs per hit of the first and the last `window` of `hits` increments on one key of a fresh storage. */
async function storageCost(storage: ThrottlerStorage, hits: number, window: number) {
  const timeOf = async (count: number) => {
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i += 1) {
      await storage.increment('one-forwarder', 60_000, 10_000_000, 60_000, 'default');
    }
    return Number(process.hrtime.bigint() - started) / 1000 / count;
  };
  const early = await timeOf(window);
  await timeOf(hits - 2 * window);
  const late = await timeOf(window);
  return { early, late };
}

/** The fastest of `runs` runs for each span: a scheduler pause on a shared machine only ever adds time. */
async function bestOf(runs: number, fresh: () => ThrottlerStorage & { onApplicationShutdown?: () => void }) {
  let best = { early: Infinity, late: Infinity };
  for (let run = 0; run < runs; run += 1) {
    const storage = fresh();
    const cost = await storageCost(storage, 20_000, 2_000);
    storage.onApplicationShutdown?.();
    best = { early: Math.min(best.early, cost.early), late: Math.min(best.late, cost.late) };
  }
  return best;
}

async function main(): Promise<void> {
  const duration = option('duration', 150);
  const connections = option('connections', 10);
  actors = option('actors', 2000);
  if (duration < 2 * EDGE_SECONDS) {
    throw new Error(`--duration must be at least ${2 * EDGE_SECONDS}`);
  }
  const token = randomBytes(24).toString('base64url');
  const server = await startServer(token);
  try {
    console.log(
      `sustained single-event ingest: ${duration} s, ${connections} connections, ${actors} actors, one client (127.0.0.1)`,
    );
    const run = await sustained(server.url, token, duration, connections, server.child.pid as number);
    console.table([
      {
        'first 30 s (2xx/s)': Math.round(run.first),
        'last 30 s (2xx/s)': Math.round(run.last),
        'last / first': Number((run.last / run.first).toFixed(3)),
        target: '≥ 0.9',
        'server CPU ms/request, first 30 s': Number(run.cpu.first.toFixed(3)),
        'last 30 s': Number(run.cpu.last.toFixed(3)),
        'first / last (CPU)': Number((run.cpu.first / run.cpu.last).toFixed(3)),
        requests: run.total,
        statuses: JSON.stringify(Object.fromEntries(run.statuses)),
        'socket errors': run.errors,
      },
    ]);
    console.log(`2xx/s per 10 s: ${run.series.join(' ')}`);
    console.log(`server CPU ms/request per 30 s: ${run.cpuSeries.join(' ')}`);
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
    rmSync(server.dir, { recursive: true, force: true });
  }
  const stockCost = await bestOf(3, () => new ThrottlerStorageService());
  const slidingCost = await bestOf(3, () => new SlidingWindowThrottlerStorage());
  console.log(
    'yardstick, the storages alone: µs per hit on one key, first 2,000 hits and hits 18,001-20,000 (best of 3)',
  );
  console.table(
    [
      { storage: 'stock ThrottlerStorageService', ...stockCost },
      { storage: 'SlidingWindowThrottlerStorage', ...slidingCost },
    ].map((row) => ({
      storage: row.storage,
      'first (µs/hit)': Number(row.early.toFixed(2)),
      'after 18k hits (µs/hit)': Number(row.late.toFixed(2)),
      'slowdown ×': Number((row.late / row.early).toFixed(2)),
    })),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
