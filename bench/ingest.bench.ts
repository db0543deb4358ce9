/**
 * Ingest throughput against a running server, loopback only, bounded in time.
 *
 *   npm run bench                      # builds, starts its own server on a temporary SQLite file
 *   npm run bench -- --url http://127.0.0.1:3000 --token <SOC_INGEST_TOKEN>   # an existing one
 *
 * Cases: single JSON events, JSON batches, raw sshd lines (text/plain) in batches.
 * Options: --duration <s> (default 10), --connections <n> (default 50), --batch <n> (default 1000).
 * A server started here gets INGEST_RATE_LIMIT=1000000 so the limiter is not what is measured.
 */
import autocannon from 'autocannon';
import { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBuiltService } from './built-service';
import { jsonEvent as event, rawSshdLine as rawLine } from './ingest-load';

interface Options {
  url?: string;
  token?: string;
  duration: number;
  connections: number;
  batch: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { duration: 10, connections: 50, batch: 1000 };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--url') {
      options.url = value;
    } else if (flag === '--token') {
      options.token = value;
    } else if (flag === '--duration') {
      options.duration = Number(value);
    } else if (flag === '--connections') {
      options.connections = Number(value);
    } else if (flag === '--batch') {
      options.batch = Number(value);
    } else {
      throw new Error(`unknown option ${flag}`);
    }
  }
  const base = options.url === undefined ? undefined : new URL(options.url);
  if (base !== undefined && !['127.0.0.1', 'localhost', '[::1]'].includes(base.hostname)) {
    throw new Error('the benchmark only targets loopback');
  }
  return options;
}

async function startServer(): Promise<{ url: string; child: ChildProcess; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'soc-bench-'));
  const service = await startBuiltService({
    DATABASE_PATH: join(dir, 'bench.sqlite'),
    INGEST_RATE_LIMIT: '1000000',
    INGEST_MAX_BODY: String(16 * 1024 * 1024),
  });
  return { ...service, dir };
}

async function run(
  title: string,
  url: string,
  options: Options,
  body: () => string,
  eventsPerRequest: number,
  contentType = 'application/json',
) {
  const headers: Record<string, string> = { 'content-type': contentType };
  if (options.token !== undefined) {
    headers.authorization = `Bearer ${options.token}`;
  }
  const result = await autocannon({
    url,
    method: 'POST',
    connections: title === 'single' ? options.connections : Math.min(options.connections, 8),
    duration: options.duration,
    headers,
    requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
  });
  const ok = result['2xx'];
  const seconds = result.duration;
  const line = {
    case: title,
    requests: ok,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    'events/s': Math.round((ok * eventsPerRequest) / seconds),
    'req/s (mean)': Math.round(result.requests.average),
    'latency p50 ms': result.latency.p50,
    'latency p99 ms': result.latency.p99,
  };
  console.table([line]);
  return line;
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const server = options.url === undefined ? await startServer() : undefined;
  const base = options.url ?? (server as { url: string }).url;
  try {
    console.log(`target ${base}, ${options.duration}s per case`);
    await run('single', `${base}/ingest-log`, options, () => JSON.stringify(event()), 1);
    await run(
      'batch',
      `${base}/ingest-log/batch`,
      options,
      () => JSON.stringify(Array.from({ length: options.batch }, event)),
      options.batch,
    );
    await run(
      'raw lines',
      `${base}/ingest-log/raw`,
      options,
      () => Array.from({ length: options.batch }, rawLine).join('\n'),
      options.batch,
      'text/plain',
    );
  } finally {
    if (server !== undefined) {
      server.child.kill('SIGTERM');
      await new Promise((resolve) => server.child.once('exit', resolve));
      rmSync(server.dir, { recursive: true, force: true });
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
