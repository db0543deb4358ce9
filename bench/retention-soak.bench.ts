/**
 * Retention soak: does the database file stay bounded under a steady stream when events are
 * purged? Loopback only, bounded in events and time.
 *
 *   npm run bench:soak                                   # 2,000,000 events, EVENT_RETENTION=1m
 *   npm run bench:soak -- --events 500000 --retention 1m --senders 4 --batch 1000
 *
 * Starts the built server (dist/main.js) on a temporary SQLite file with the retention given,
 * sends JSON batches stamped with the wall clock (so a minute of event time is a minute of
 * stream), and every 5 s samples the file sizes (database, WAL), the server's RSS, the rows in
 * `events` and SQLite's free-list pages, read through a separate read-only connection.
 * Yardsticks from the same run: the file size the stream would have reached without purging
 * (bytes per event before the first purge × events sent), and the ingest rate before the first
 * purge against the rate while purging.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as sqlite3 from 'sqlite3';

interface Options {
  events: number;
  retention: string;
  senders: number;
  batch: number;
  maxSeconds: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { events: 2_000_000, retention: '1m', senders: 4, batch: 1000, maxSeconds: 900 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    switch (flag) {
      case '--events':
        options.events = Number(value);
        break;
      case '--retention':
        options.retention = value;
        break;
      case '--senders':
        options.senders = Number(value);
        break;
      case '--batch':
        options.batch = Number(value);
        break;
      case '--max-seconds':
        options.maxSeconds = Number(value);
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
  }
  return options;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

let stopping = false;

async function startServer(dir: string, retention: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/main.js'], {
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_PATH: join(dir, 'soak.sqlite'),
      INGEST_RATE_LIMIT: '1000000',
      INGEST_MAX_BODY: String(16 * 1024 * 1024),
      EVENT_RETENTION: retention,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  child.once('exit', (code, signal) => {
    if (!stopping) {
      console.error(`server exited during the soak: code ${code}, signal ${signal}`);
    }
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt += 1) {
    try {
      if ((await fetch(`${url}/health/live`)).ok) {
        return { url, child };
      }
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill();
  throw new Error('server did not start within 30 s');
}

const USERS = ['root', 'admin', 'deploy', 'git', 'ubuntu', 'oracle', 'test', 'backup'];

/**
 * One event of a steady, mostly benign stream: 20,000 addresses (so actors come and go with
 * retention), web requests and accepted logins, and 2 % failed logins from 100 addresses.
 */
function event(n: number, now: number): object {
  const timestamp = new Date(now).toISOString();
  if (n % 50 === 0) {
    const ip = `198.51.100.${n % 100}`;
    return {
      timestamp,
      host: 'bastion-1',
      message: `Failed password for invalid user ${USERS[n % USERS.length]}${n % 97} from ${ip} port ${1024 + (n % 60000)} ssh2`,
    };
  }
  const ip = `10.${(n >> 16) & 0x3}.${(n >> 8) & 0xff}.${n & 0x4f}`;
  if (n % 3 === 0) {
    // source_ip given: the sshd parser does not read the address of a line with the key after `ssh2:`.
    return {
      timestamp,
      source_ip: ip,
      event_type: 'ssh_login',
      host: 'bastion-1',
      message: `Accepted publickey for ${USERS[n % USERS.length]} from ${ip} port ${1024 + (n % 60000)} ssh2: ED25519 SHA256:${(n * 2654435761).toString(36)}`,
    };
  }
  return {
    '@timestamp': timestamp,
    source: { ip },
    event: { action: 'http_request', outcome: 'success' },
    url: { original: `/api/v1/items/${n % 5000}?page=${n % 7}` },
    http: { request: { method: 'GET' }, response: { status_code: 200 } },
    user_agent: { original: 'Mozilla/5.0 (X11; Linux x86_64) soak/1.0' },
    message: `GET /api/v1/items/${n % 5000} 200`,
  };
}

interface Sample {
  seconds: number;
  sent: number;
  dbBytes: number;
  walBytes: number;
  rssBytes: number;
  rows: number;
  freePages: number;
}

function size(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function rss(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match === null ? 0 : Number(match[1]) * 1024;
}

function get(db: sqlite3.Database, sql: string): Promise<number> {
  return new Promise((resolve, reject) =>
    db.get(sql, (error: Error | null, row: Record<string, number>) =>
      error === null ? resolve(Number(Object.values(row)[0])) : reject(error),
    ),
  );
}

const MIB = 1048576;
const mib = (bytes: number): string => (bytes / MIB).toFixed(1).padStart(7);

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'soc-soak-'));
  const { url, child } = await startServer(dir, options.retention);
  const file = join(dir, 'soak.sqlite');
  const reader = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  const started = Date.now();
  const deadline = started + options.maxSeconds * 1000;
  let sent = 0;
  let refused = 0;
  const samples: Sample[] = [];
  console.log(
    `soak: ${options.events} events, EVENT_RETENTION=${options.retention}, ${options.senders} senders × ${options.batch}`,
  );
  console.log('     s       sent   ev/s   db MiB  wal MiB  RSS MiB   events rows  free pages');
  const sample = async (): Promise<void> => {
    const point: Sample = {
      seconds: (Date.now() - started) / 1000,
      sent,
      dbBytes: size(file),
      walBytes: size(`${file}-wal`),
      rssBytes: rss(child.pid as number),
      rows: await get(reader, 'SELECT COUNT(*) FROM events').catch(() => -1),
      freePages: await get(reader, 'PRAGMA freelist_count').catch(() => -1),
    };
    const previous = samples[samples.length - 1];
    const rate =
      previous === undefined
        ? point.sent / point.seconds
        : (point.sent - previous.sent) / (point.seconds - previous.seconds);
    samples.push(point);
    console.log(
      `${point.seconds.toFixed(0).padStart(6)} ${String(point.sent).padStart(10)} ${rate.toFixed(0).padStart(6)} ${mib(point.dbBytes)}  ${mib(point.walBytes)}  ${mib(point.rssBytes)} ${String(point.rows).padStart(13)} ${String(point.freePages).padStart(11)}`,
    );
  };
  const sampler = setInterval(() => void sample(), 5000);
  let next = 0;
  const sender = async (): Promise<void> => {
    while (next < options.events && Date.now() < deadline) {
      const first = next;
      next += options.batch;
      const now = Date.now();
      const body = Array.from({ length: Math.min(options.batch, options.events - first) }, (_, i) =>
        event(first + i, now),
      );
      const res = await fetch(`${url}/ingest-log/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await res.json()) as { accepted?: number; errors?: { reason: string }[] };
      if (res.status === 202 && answer.accepted !== undefined) {
        sent += answer.accepted;
        refused += body.length - answer.accepted;
        if (answer.errors !== undefined && answer.errors.length > 0 && refused === body.length - answer.accepted) {
          console.error(`first refusal: ${answer.errors[0].reason}`);
        }
      } else {
        refused += body.length;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.senders }, () => sender()));
    clearInterval(sampler);
    await sample();
  } finally {
    clearInterval(sampler);
    reader.close();
    stopping = true;
    child.kill('SIGTERM');
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise((resolve) => child.once('exit', resolve));
    }
    rmSync(dir, { recursive: true, force: true });
  }
  report(samples, sent, refused, options);
}

function report(samples: Sample[], sent: number, refused: number, options: Options): void {
  const retentionSeconds = Number(/^(\d+)m$/.exec(options.retention)?.[1] ?? 1) * 60;
  const beforePurge = samples.filter((s) => s.seconds < retentionSeconds && s.sent > 0);
  const warm = beforePurge[beforePurge.length - 1] ?? samples[0];
  const bytesPerEvent = (warm.dbBytes + warm.walBytes) / Math.max(1, warm.sent);
  const last = samples[samples.length - 1];
  const steady = samples.filter((s) => s.seconds >= 2 * retentionSeconds);
  const peak = Math.max(...samples.map((s) => s.dbBytes + s.walBytes));
  const rateOf = (list: Sample[]): number =>
    list.length < 2
      ? NaN
      : (list[list.length - 1].sent - list[0].sent) / (list[list.length - 1].seconds - list[0].seconds);
  const plateau = steady.length > 0 ? Math.max(...steady.map((s) => s.dbBytes + s.walBytes)) : NaN;
  const firstSteady = steady[0];
  console.log('');
  console.log(`sent ${sent} events (${refused} refused) in ${last.seconds.toFixed(0)} s`);
  console.log(`bytes per event before the first purge: ${bytesPerEvent.toFixed(0)} (database + WAL)`);
  console.log(`without purging, the file would hold about ${mib(bytesPerEvent * sent).trim()} MiB`);
  console.log(
    `with EVENT_RETENTION=${options.retention}: peak ${mib(peak).trim()} MiB, end ${mib(last.dbBytes + last.walBytes).trim()} MiB ` +
      `(${((100 * (last.dbBytes + last.walBytes)) / (bytesPerEvent * sent)).toFixed(1)} % of the unpurged size)`,
  );
  // The stream's rate varies on a shared machine, and what is kept is one retention period of
  // it: so the yardstick for "bounded" is the most rows ever kept at once, at the bytes per event
  // measured before the first purge.
  const mostRows = Math.max(...samples.map((s) => s.rows));
  console.log(
    `most events kept at once ${mostRows}: the file at its peak is ${(peak / (mostRows * bytesPerEvent)).toFixed(2)} × ` +
      `(that many events × bytes per event)`,
  );
  if (firstSteady !== undefined) {
    console.log(
      `after two retention periods: ${mib(firstSteady.dbBytes + firstSteady.walBytes).trim()} MiB at ${firstSteady.seconds.toFixed(0)} s, ` +
        `at most ${mib(plateau).trim()} MiB afterwards (ratio ${(plateau / (firstSteady.dbBytes + firstSteady.walBytes)).toFixed(2)})`,
    );
    console.log(
      `RSS: ${mib(firstSteady.rssBytes).trim()} MiB then at most ${mib(Math.max(...steady.map((s) => s.rssBytes))).trim()} MiB`,
    );
  }
  console.log(
    `ingest rate before the first purge ${rateOf(beforePurge).toFixed(0)} ev/s, while purging ${rateOf(steady).toFixed(0)} ev/s ` +
      `(ratio ${(rateOf(steady) / rateOf(beforePurge)).toFixed(2)})`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
