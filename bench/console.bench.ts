/**
 * The console's first load against a service holding many events: bytes (raw and gzip) and
 * time to usable, in Debian's chromium, loopback only, bounded.
 *
 *   npx ts-node --transpile-only bench/console.bench.ts [--events 1000000] [--hours 24] [--runs 15]
 *
 * The store is filled quickly: migrations by the service itself, then `--events` rows written
 * straight into `events` with multi-row INSERTs (spread evenly over the last `--hours`, so the
 * last hour holds events/hours of them), then a brute force and an XSS actor through the real
 * ingest route so that decisions, verdicts and an actor timeline exist. The service runs
 * in-process on an ephemeral port.
 *
 * Time to usable: navigation start to DOMContentLoaded of /console, which comes after the
 * deferred console.js has run (its timers set), with the overview's numbers rendered by the
 * server: the first navigation after start (it counts the whole last hour of events), then the
 * median of `--runs` later ones. Yardstick in the same run and browser: the same navigation to
 * /health (a JSON answer with no database read).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium, Page } from 'playwright-core';
import * as sqlite3 from 'sqlite3';
import { createApp } from '../src/app.factory';
import { validateEnvironment } from '../src/config/environment';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) {
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
}
const EVENTS = Number(args.get('events') ?? 1_000_000);
const HOURS = Number(args.get('hours') ?? 24);
const RUNS = Number(args.get('runs') ?? 15);
const ADMIN = 'bench-admin-token-0123456789';
const INGEST = 'bench-ingest-token-0123456789';
const ROWS_PER_INSERT = 500;

function run(db: sqlite3.Database, sql: string, params: unknown[] = []): Promise<void> {
  return new Promise((resolve, reject) => db.run(sql, params, (error) => (error ? reject(error) : resolve())));
}

async function fill(path: string): Promise<number> {
  const started = Date.now();
  const db = new sqlite3.Database(path);
  await run(db, 'PRAGMA journal_mode = WAL');
  await run(db, 'PRAGMA synchronous = NORMAL');
  const columns = '(id, actor_ip, event_time, received_at, event_type, outcome, signals, host, user_name, message)';
  const placeholders = `(${new Array(10).fill('?').join(',')})`;
  const sql = `INSERT INTO events ${columns} VALUES ${new Array(ROWS_PER_INSERT).fill(placeholders).join(',')}`;
  const now = Date.now();
  const span = HOURS * 3_600_000;
  const types = ['ssh_failed_password', 'http_request', 'ssh_accepted', 'sudo', 'cron_session'];
  for (let done = 0; done < EVENTS;) {
    await run(db, 'BEGIN');
    for (let k = 0; k < 40 && done < EVENTS; k += 1) {
      const params: unknown[] = [];
      for (let r = 0; r < ROWS_PER_INSERT; r += 1, done += 1) {
        const at = now - span + Math.floor((done / EVENTS) * span);
        const ip = `10.${(done >> 16) & 255}.${(done >> 8) & 255}.${done & 255}`;
        const type = types[done % types.length];
        params.push(
          `bench-${done}`,
          ip,
          at,
          at,
          type,
          'failure',
          'auth_failure',
          'host-1',
          'root',
          `Failed password for root from ${ip} port 22 ssh2`,
        );
      }
      await run(db, sql, params);
    }
    await run(db, 'COMMIT');
  }
  await new Promise<void>((resolve) => db.close(() => resolve()));
  return (Date.now() - started) / 1000;
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function navigation(page: Page, url: string): Promise<{ ready: number; load: number }> {
  await page.goto(url, { waitUntil: 'load' });
  // A string, run in the page: this project's TypeScript has no DOM types.
  return page.evaluate<{ ready: number; load: number }>(`(() => {
    const [entry] = performance.getEntriesByType('navigation');
    return { ready: entry.domContentLoadedEventEnd, load: entry.loadEventEnd };
  })()`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'soc-console-bench-'));
  const path = join(dir, 'bench.sqlite');
  const env = validateEnvironment({
    DATABASE_PATH: path,
    LOG_LEVEL: 'error',
    SOC_ADMIN_TOKEN: ADMIN,
    SOC_INGEST_TOKEN: INGEST,
    INGEST_RATE_LIMIT: '1000000',
  });
  // Migrations only; closed before the next start (one process holds a store at a time).
  await (await createApp(env, { logger: false })).close().catch(() => undefined);
  const fillSeconds = await fill(path);
  const app = await createApp(env, { logger: false });
  await app.listen(0, '127.0.0.1');
  const base = await app.getUrl();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  try {
    const ingest = (events: object[]) =>
      fetch(`${base}/ingest-log/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${INGEST}`, 'content-type': 'application/json' },
        body: JSON.stringify(events),
      });
    await ingest(
      Array.from({ length: 20 }, (_, i) => ({
        source_ip: '203.0.113.50',
        message: `Failed password for invalid user u${i} from 203.0.113.50 port ${40000 + i} ssh2`,
      })),
    );
    await ingest([{ source_ip: '192.0.2.20', event_type: 'http_request', url: '/q=<script>alert(1)</script>' }]);
    const page = await browser.newPage();
    await page.goto(`${base}/console/login`);
    await page.fill('input[name=operator]', 'bench');
    await page.fill('input[name=token]', ADMIN);
    await Promise.all([page.waitForURL(`${base}/console`), page.click('button[type=submit]')]);
    // The first overview after start (sign-in lands on it) counts the whole last hour; later
    // ones only the newest minutes.
    await page.waitForLoadState('load');
    const cold = await page.evaluate<{ ready: number }>(
      `(() => ({ ready: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd }))()`,
    );

    const bytes = { raw: 0, gzip: 0, resources: [] as string[] };
    const client = await page.context().newCDPSession(page);
    await client.send('Network.setCacheDisabled', { cacheDisabled: true });
    page.on('response', (response) => {
      void response.body().then((body) => {
        bytes.raw += body.length;
        bytes.gzip += gzipSync(body).length;
        bytes.resources.push(`${new URL(response.url()).pathname} ${body.length} B (gzip ${gzipSync(body).length} B)`);
      });
    });
    await navigation(page, `${base}/console`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    page.removeAllListeners('response');

    const consoleTimes: number[] = [];
    const healthTimes: number[] = [];
    const loadTimes: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      healthTimes.push((await navigation(page, `${base}/health`)).ready);
      const times = await navigation(page, `${base}/console`);
      consoleTimes.push(times.ready);
      loadTimes.push(times.load);
    }
    const apiTimes: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      apiTimes.push(
        await page.evaluate<number>(`(async () => {
          const t0 = performance.now();
          await (await fetch('/console/api/overview')).json();
          return performance.now() - t0;
        })()`),
      );
    }
    const lastHour = await page.textContent('[data-live="lastHour"]');
    const report = {
      events: EVENTS,
      hours: HOURS,
      fillSeconds: Number(fillSeconds.toFixed(1)),
      eventsInLastHourShown: lastHour,
      firstLoad: { rawBytes: bytes.raw, gzipBytes: bytes.gzip, resources: bytes.resources },
      firstOverviewAfterStartMs: Number(cold.ready.toFixed(1)),
      medianMs: {
        consoleUsable: Number(median(consoleTimes).toFixed(1)),
        consoleLoad: Number(median(loadTimes).toFixed(1)),
        healthYardstick: Number(median(healthTimes).toFixed(1)),
        overviewApi: Number(median(apiTimes).toFixed(1)),
      },
      ratioUsableToYardstick: Number((median(consoleTimes) / median(healthTimes)).toFixed(1)),
      runs: RUNS,
    };
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await browser.close();
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
