/**
 * Batch ingest on each store, and two instances on one PostgreSQL database against one, in one
 * run (issue 15's target: two instances ingest at least 1.6 times one instance's batch rate).
 * Loopback only, bounded in time; each PostgreSQL case gets a database of its own, dropped after.
 *
 *   npm run bench:scale-out [-- --duration 15 --connections 8 --batch 1000]
 *     [--postgres postgres://postgres@127.0.0.1:5432/postgres] [--actors shared|split]
 *
 * `--actors shared` (the default): every batch names the same 2,000 actors, whichever instance
 * takes it. `split`: each instance's batches name 2,000 actors of their own (other addresses,
 * other networks), which shows what the flushes' locks cost when batches overlap.
 *
 * Every instance is the built service (`dist/main.js`) with INGEST_RATE_LIMIT=1000000, so the
 * limiter is not what is measured. With two instances the connections are split between them
 * and both are driven at once; events/s is the sum of what both acknowledged.
 */
import { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBuiltService } from './built-service';
import { jsonEvent } from './ingest-load';
import { drive, stop, withDatabase } from './load';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const DURATION = Number(option('duration', '15'));
const CONNECTIONS = Number(option('connections', '8'));
const BATCH = Number(option('batch', '1000'));
const SPLIT = option('actors', 'shared') === 'split';
const POSTGRES = option('postgres', process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
if (!['127.0.0.1', 'localhost', '[::1]'].includes(new URL(POSTGRES).hostname)) {
  throw new Error('the benchmark only targets loopback');
}

const SETTINGS = { INGEST_RATE_LIMIT: '1000000', INGEST_MAX_BODY: String(16 * 1024 * 1024) };

/** Drives `url`'s batch route with `connections` connections for DURATION s, batches naming the actors from `actorBase`. */
function driveBatches(url: string, connections: number, actorBase: number) {
  return drive(
    `${url}/ingest-log/batch`,
    connections,
    DURATION,
    () => JSON.stringify(Array.from({ length: BATCH }, () => jsonEvent(actorBase))),
    BATCH,
  );
}

/** Starts `instances` services on `settings` one after the other (the first runs the migrations), drives them all at once. */
async function measure(name: string, instances: number, settings: Record<string, string>) {
  const started: { url: string; child: ChildProcess }[] = [];
  try {
    for (let i = 0; i < instances; i += 1) {
      started.push(
        await startBuiltService({ ...SETTINGS, ...settings }, { readyPath: '/health/ready', startupSeconds: 60 }),
      );
    }
    const runs = await Promise.all(
      started.map(({ url }, i) =>
        driveBatches(url, Math.max(1, Math.round(CONNECTIONS / instances)), SPLIT ? i * 2000 : 0),
      ),
    );
    const eventsPerSecond = Math.round(runs.reduce((sum, run) => sum + run.perSecond, 0));
    return { case: name, instances, 'events/s': eventsPerSecond, refused: runs.reduce((n, run) => n + run.refused, 0) };
  } finally {
    await Promise.all(started.map(({ child }) => stop(child)));
  }
}

async function onSqlite() {
  const dir = mkdtempSync(join(tmpdir(), 'soc-bench-'));
  try {
    return await measure('SQLite', 1, { DATABASE_PATH: join(dir, 'bench.sqlite') });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function onPostgres(instances: number) {
  return withDatabase(POSTGRES, String(instances), (url) =>
    measure('PostgreSQL', instances, { DATABASE_TYPE: 'postgres', DATABASE_URL: url }),
  );
}

async function main(): Promise<void> {
  console.log(
    `batches of ${BATCH} JSON events, ${CONNECTIONS} connections in all, ${DURATION} s a case, actors ${SPLIT ? 'split between instances' : 'shared'}`,
  );
  const sqlite = await onSqlite();
  const one = await onPostgres(1);
  const two = await onPostgres(2);
  console.table([sqlite, one, two]);
  console.log(`PostgreSQL, one instance / SQLite: ${(one['events/s'] / sqlite['events/s']).toFixed(2)}`);
  console.log(`PostgreSQL, two instances / one: ${(two['events/s'] / one['events/s']).toFixed(2)} (target 1.6)`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
