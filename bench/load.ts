/**
 * Driving a service under load for the benchmarks (npm run bench, bench:scale-out): autocannon
 * over loopback, forwarders with actors of their own, databases of their own, clean stops.
 */
import autocannon from 'autocannon';
import { ChildProcess } from 'node:child_process';
import { Client } from 'pg';
import { jsonEvent } from './ingest-load';

export const BATCH = 1000;

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) {
    return;
  }
  await new Promise((resolve) => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

export interface Driven {
  perSecond: number;
  /** The 2xx rate of the last 30 s (of the whole run when shorter). */
  lastPerSecond: number;
  p50: number;
  p99: number;
  refused: number;
}

/** Drives `url` with POSTs of `body()` for `seconds`; counts 2xx answers × `events` per second. */
export async function drive(
  url: string,
  connections: number,
  seconds: number,
  body: () => string,
  events: number,
  contentType = 'application/json',
): Promise<Driven> {
  const perSecond = new Map<number, number>();
  const started = Date.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        connections,
        duration: seconds,
        headers: { 'content-type': contentType },
        requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
      },
      (error: Error | null, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, status) => {
      if (status >= 200 && status < 300) {
        const second = Math.floor((Date.now() - started) / 1000);
        perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
      }
    });
  });
  const tail = Math.min(30, seconds);
  let last = 0;
  for (let s = seconds - tail; s < seconds; s += 1) {
    last += perSecond.get(s) ?? 0;
  }
  return {
    perSecond: (result['2xx'] * events) / result.duration,
    lastPerSecond: (last * events) / tail,
    p50: result.latency.p50,
    p99: result.latency.p99,
    refused: result.non2xx + result.errors + result.timeouts,
  };
}

/**
 * Bodies of `make`, made ahead and sent in turn: making a body of 1,000 events for every
 * request would cost the load generator, on the same cores, more than the service spends on it.
 */
export function cycle(make: () => string, count = 32): () => string {
  const bodies = Array.from({ length: count }, make);
  let next = 0;
  return () => bodies[next++ % count];
}

/**
 * Batches from `forwarders` forwarders at once, one connection each, each sending events of
 * 2,000 actors of its own (in networks of their own, as sites behind different forwarders
 * are): the sum of what they had acknowledged. `first` numbers the first forwarder.
 */
export async function driveForwarders(url: string, forwarders: number, seconds: number, first = 0): Promise<Driven> {
  const runs = await Promise.all(
    Array.from({ length: forwarders }, (_, i) =>
      drive(
        url,
        1,
        seconds,
        cycle(() => JSON.stringify(Array.from({ length: BATCH }, () => jsonEvent((first + i) * 2048)))),
        BATCH,
      ),
    ),
  );
  return {
    perSecond: runs.reduce((sum, run) => sum + run.perSecond, 0),
    lastPerSecond: runs.reduce((sum, run) => sum + run.lastPerSecond, 0),
    p50: Math.max(...runs.map((run) => run.p50)),
    p99: Math.max(...runs.map((run) => run.p99)),
    refused: runs.reduce((sum, run) => sum + run.refused, 0),
  };
}

/**
 * Runs `work` on a PostgreSQL database of its own (`soc_bench_<pid>_<name>`), made through the
 * admin URL `admin` and dropped afterwards, whatever happens.
 */
export async function withDatabase<T>(admin: string, name: string, work: (url: string) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: admin });
  await client.connect();
  const database = `soc_bench_${process.pid}_${name}`;
  try {
    await client.query(`CREATE DATABASE ${database}`);
    const url = new URL(admin);
    url.pathname = `/${database}`;
    return await work(url.toString());
  } finally {
    await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await client.end();
  }
}
