import { ChildProcess, spawn } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { ADMIN_TOKEN, INGEST_TOKEN, tempDatabase } from './harness';

/**
 * Fuzzes the real service, started as its own process exactly as `npm start` runs it, over
 * real sockets: every route, with generated methods, paths, queries, headers, content types,
 * encodings (valid, truncated and corrupted gzip) and bodies. Any 5xx, or the process exiting,
 * fails the run. FUZZ_SEED replays a run; FUZZ_CASES sets how many requests (default 10,000).
 */
const CASES = Number(process.env.FUZZ_CASES ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
const CONCURRENCY = 16;
const BOUNCER_KEY = 'fuzz-bouncer-key-0123456789';

const ROUTES = [
  '/ingest-log',
  '/ingest-log/batch',
  '/ingest-log/raw',
  '/services/collector',
  '/services/collector/event',
  '/services/collector/event/1.0',
  '/services/collector/raw',
  '/services/collector/health',
  '/services/collector/ack',
  '/decisions',
  '/decisions/blocklist',
  '/decisions/00000000-0000-4000-8000-000000000000',
  '/decisions/00000000-0000-4000-8000-000000000000/approve',
  '/decisions/not-a-uuid/reject',
  '/actors/203.0.113.7',
  '/actors/::ffff:203.0.113.7/feedback',
  '/actors/999.1.1.1',
  '/audit',
  '/v1/decisions',
  '/v1/decisions/stream',
  '/metrics',
  '/llm/stats',
  '/health',
  '/docs-json',
  '/explain',
  '/',
];

const SSHD_LINES = [
  'Failed password for root from 203.0.113.7 port 4242 ssh2',
  'Failed password for invalid user x from 1.1.1.1 from 203.0.113.9 port 22 ssh2',
  '<38>Nov 24 10:00:01 bastion-1 sshd[811]: Invalid user oracle from 2001:db8::7 port 51234',
  'pam_unix(sshd:auth): check pass; user unknown',
  '198.51.100.23 - - [24/Nov/2026:10:00:02 +0000] "GET /.env HTTP/1.1" 404 153 "-" "sqlmap/1.7"',
  'CEF:0|Imperva Inc.|SecureSphere|12.0|10|SQL Injection|High|src=198.51.100.22 request=/login?id\\=1 OR 1\\=1',
  'LEEF:2.0|Lancope|StealthWatch|1.0|41|^|src=198.51.100.23^dst=10.0.0.1',
];

const address = fc.oneof(
  fc.ipV4(),
  fc.ipV6(),
  fc.constantFrom('::ffff:203.0.113.7', '203.000.113.007', '999.1.1.1', 'fe80::1%eth0', '', 'localhost'),
  fc.string({ maxLength: 40 }),
);

const record = fc.record(
  {
    source_ip: address,
    source: fc.oneof(fc.record({ ip: address, port: fc.integer() }), fc.string(), fc.constant(null)),
    timestamp: fc.oneof(fc.date({ noInvalidDate: false }).map(String), fc.integer(), fc.string({ maxLength: 40 })),
    '@timestamp': fc.oneof(fc.string({ maxLength: 40 }), fc.double()),
    event_type: fc.string({ maxLength: 200 }),
    message: fc.oneof(fc.constantFrom(...SSHD_LINES), fc.string({ maxLength: 2000 })),
    url: fc.oneof(fc.webUrl(), fc.string({ maxLength: 300 })),
    user: fc.oneof(fc.string(), fc.record({ name: fc.string() })),
    http_status: fc.oneof(fc.integer(), fc.string()),
    event: fc.oneof(fc.record({ action: fc.string(), outcome: fc.string() }), fc.string(), fc.anything()),
  },
  { requiredKeys: [] },
);

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

/** What a well-behaved forwarder or analyst sends, so the deep paths (writes, decisions) run too. */
const plausible = fc.oneof(
  fc
    .record({
      source_ip: fc.ipV4(),
      timestamp: fc.integer({ min: 0, max: 86_400_000 }).map((ms) => new Date(Date.now() - ms).toISOString()),
      message: fc.constantFrom(...SSHD_LINES),
      url: fc.constantFrom('/', "/q?id=1' OR '1'='1", '/../../etc/passwd', '/wp-login.php'),
    })
    .map((v) => JSON.stringify(v)),
  fc
    .array(fc.record({ source_ip: fc.ipV4(), message: fc.constantFrom(...SSHD_LINES) }), {
      minLength: 1,
      maxLength: 50,
    })
    .map((v) => JSON.stringify(v)),
  fc.array(fc.constantFrom(...SSHD_LINES), { minLength: 1, maxLength: 50 }).map((lines) => lines.join('\n')),
  fc
    .record({
      action: fc.constantFrom('block', 'allow'),
      value: fc.oneof(fc.ipV4(), fc.constantFrom('198.51.100.0/24', '2001:db8::/64', '10.0.0.0/8')),
      duration: fc.constantFrom('1h', '30m', '7d', '60'),
      reason: fc.constant('fuzz'),
      by: fc.constant('fuzz'),
    })
    .map((v) => JSON.stringify(v)),
);

const text = fc.oneof(
  { arbitrary: plausible, weight: 24 },
  record.map((value) => JSON.stringify(value)),
  fc.array(record, { maxLength: 20 }).map((values) => JSON.stringify(values)),
  fc.array(record, { maxLength: 20 }).map((values) => values.map((value) => JSON.stringify(value)).join('\n')),
  fc.array(fc.constantFrom(...SSHD_LINES), { maxLength: 30 }).map((lines) => lines.join('\n')),
  fc
    .record({ event: fc.oneof(record, fc.constantFrom(...SSHD_LINES)), time: fc.anything() })
    .map((v) => JSON.stringify(v)),
  fc
    .record({ action: fc.string(), value: address, duration: fc.string(), reason: fc.string(), force: fc.anything() })
    .map((v) => JSON.stringify(v)),
  fc.json(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 3000 }),
  fc.string({ unit: 'binary', maxLength: 1000 }),
  fc.integer({ min: 1, max: 20_000 }).map(nested),
  fc.constantFrom('', '{', '[', 'null', '"x"', '{"__proto__":{"a":1}}', '{"constructor":{"prototype":{}}}'),
);

const body = fc
  .tuple(text, fc.constantFrom('plain', 'plain', 'plain', 'plain', 'gzip', 'truncated', 'corrupted'))
  .map(([value, how]) => {
    const raw = Buffer.from(value, 'utf8');
    if (how === 'plain') {
      return { bytes: raw, gzip: false };
    }
    const zipped = gzipSync(raw);
    if (how === 'gzip') {
      return { bytes: zipped, gzip: true };
    }
    if (how === 'truncated') {
      return { bytes: zipped.subarray(0, Math.max(1, zipped.length >> 1)), gzip: true };
    }
    const corrupted = Buffer.from(zipped);
    corrupted[Math.min(12, corrupted.length - 1)] ^= 0xff;
    return { bytes: corrupted, gzip: true };
  });

const headerValue = fc.string({ maxLength: 80 }).map((value) => value.replace(/[^\t\x20-\x7e]/g, ''));

const anyPath = fc.oneof(
  fc.constantFrom(...ROUTES),
  fc
    .tuple(fc.constantFrom(...ROUTES), fc.string({ maxLength: 60 }))
    .map(([route, query]) => `${route}?${encodeURI(query)}`),
  fc
    .tuple(
      fc.constantFrom(...ROUTES),
      fc.constantFrom(
        'format=nginx',
        'format=ipset&set=a',
        'startup=true',
        'limit=-1',
        'limit=99999999999',
        'value=10.0.0.0/8',
        'ip=::1',
        'format=sshd',
        'format=nope',
        'active=maybe',
        'since=yesterday',
      ),
    )
    .map(([route, query]) => `${route}?${query}`),
  fc.webPath().map((p) => (p.startsWith('/') ? p : `/${p}`)),
);

const extraHeaders = fc.dictionary(
  fc.constantFrom(
    'x-forwarded-for',
    'x-soc-token',
    'x-soc-admin-token',
    'x-splunk-request-channel',
    'accept',
    'user-agent',
    'x-request-id',
    'range',
  ),
  headerValue,
  { maxKeys: 4 },
);

/** Each route as a client that means well would call it: method, credential, content type. */
const AIMED: { method: string; path: string; auth?: string; apiKey?: string; contentType?: string }[] = [
  { method: 'POST', path: '/ingest-log', auth: `Bearer ${INGEST_TOKEN}`, contentType: 'application/json' },
  { method: 'POST', path: '/ingest-log/batch', auth: `Bearer ${INGEST_TOKEN}`, contentType: 'application/json' },
  { method: 'POST', path: '/ingest-log/batch', auth: `Bearer ${INGEST_TOKEN}`, contentType: 'application/x-ndjson' },
  { method: 'POST', path: '/ingest-log/raw', auth: `Bearer ${INGEST_TOKEN}`, contentType: 'text/plain' },
  { method: 'POST', path: '/ingest-log/raw?format=sshd', auth: `bearer ${INGEST_TOKEN}`, contentType: 'text/plain' },
  { method: 'POST', path: '/services/collector/event', auth: `Splunk ${INGEST_TOKEN}` },
  { method: 'POST', path: '/services/collector/raw?sourcetype=linux_secure', auth: `Splunk ${INGEST_TOKEN}` },
  { method: 'POST', path: '/services/collector/ack', auth: `Splunk ${INGEST_TOKEN}`, contentType: 'application/json' },
  { method: 'POST', path: '/decisions', auth: `Bearer ${ADMIN_TOKEN}`, contentType: 'application/json' },
  {
    method: 'DELETE',
    path: '/decisions/00000000-0000-4000-8000-000000000000',
    auth: `Bearer ${ADMIN_TOKEN}`,
    contentType: 'application/json',
  },
  {
    method: 'POST',
    path: '/actors/203.0.113.7/feedback',
    auth: `Bearer ${ADMIN_TOKEN}`,
    contentType: 'application/json',
  },
  { method: 'POST', path: '/explain', auth: `Bearer ${ADMIN_TOKEN}`, contentType: 'text/plain' },
  { method: 'GET', path: '/decisions?active=false&limit=5', auth: `Bearer ${ADMIN_TOKEN}` },
  { method: 'GET', path: '/decisions/blocklist?format=nginx', auth: `Bearer ${ADMIN_TOKEN}` },
  { method: 'GET', path: '/actors/203.0.113.7', auth: `Bearer ${ADMIN_TOKEN}` },
  { method: 'GET', path: '/audit?limit=3', auth: `Bearer ${ADMIN_TOKEN}` },
  { method: 'GET', path: '/metrics', auth: `Bearer ${ADMIN_TOKEN}` },
  { method: 'GET', path: '/v1/decisions/stream?startup=true', apiKey: BOUNCER_KEY },
  { method: 'GET', path: '/v1/decisions?ip=203.0.113.7', apiKey: BOUNCER_KEY },
  { method: 'GET', path: '/health' },
];

const rarely = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(null), weight: 4 }, { arbitrary, weight: 1 });

/** Three in four requests aim at a route the way a client would; the rest are anything at all. */
const fuzzRequest = fc.oneof(
  {
    weight: 3,
    arbitrary: fc
      .record({
        aimed: fc.constantFrom(...AIMED),
        encoding: rarely(fc.constantFrom('gzip', 'x-gzip', 'identity', 'br', 'GZIP', 'garbage')),
        extra: extraHeaders,
        body,
      })
      .map(({ aimed, encoding, extra, body: sent }) => ({
        method: aimed.method,
        path: aimed.path,
        contentType: aimed.contentType ?? null,
        auth: aimed.auth ?? null,
        apiKey: aimed.apiKey ?? null,
        encoding,
        extra,
        body: sent,
      })),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      method: fc.constantFrom('GET', 'POST', 'POST', 'POST', 'DELETE', 'HEAD', 'PUT', 'PATCH', 'OPTIONS'),
      path: anyPath,
      contentType: fc.option(
        fc.constantFrom(
          'application/json',
          'application/json; charset=utf-8',
          'application/x-ndjson',
          'text/plain',
          'text/plain; charset=latin1',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/octet-stream',
          'application/json; charset=utf-16',
          '',
          'nonsense',
          ';;;',
        ),
      ),
      encoding: rarely(fc.constantFrom('gzip', 'x-gzip', 'identity', 'br', 'deflate', 'gzip, gzip', 'GZIP', 'garbage')),
      auth: fc.option(
        fc.constantFrom(
          `Bearer ${INGEST_TOKEN}`,
          `Bearer ${ADMIN_TOKEN}`,
          `bearer ${ADMIN_TOKEN}`,
          `Splunk ${INGEST_TOKEN}`,
          'Bearer',
          'Splunk ',
          'Basic Zm9vOmJhcg==',
          `Bearer ${INGEST_TOKEN}x`,
        ),
      ),
      apiKey: fc.option(fc.constantFrom(BOUNCER_KEY, 'short', '')),
      extra: extraHeaders,
      body,
    }),
  },
);

type FuzzRequest = typeof fuzzRequest extends fc.Arbitrary<infer T> ? T : never;

function send(port: number, agent: Agent, input: FuzzRequest): Promise<number> {
  const headers: Record<string, string> = { ...input.extra };
  if (input.contentType !== null) {
    headers['content-type'] = input.contentType;
  }
  const encoding = input.encoding ?? (input.body.gzip ? 'gzip' : null);
  if (encoding !== null) {
    headers['content-encoding'] = encoding;
  }
  if (input.auth !== null) {
    headers.authorization = input.auth;
  }
  if (input.apiKey !== null) {
    headers['x-api-key'] = input.apiKey;
  }
  // GETs and HEADs carry bodies too: an unread body is where a stream error once hid.
  const withBody = input.body.bytes;
  headers['content-length'] = String(withBody.length);
  // Settles once, whichever comes first: the answer's end, its socket closing early, an
  // error, or 40 s of silence (then -1, as for a connection error).
  return new Promise((resolve) => {
    let status = -1;
    const req = httpRequest(
      { host: '127.0.0.1', port, method: input.method, path: input.path, headers, agent },
      (res) => {
        status = res.statusCode ?? 0;
        res.resume();
        res.once('end', () => resolve(status));
        res.once('close', () => resolve(status));
        res.once('error', () => resolve(status));
      },
    );
    req.setTimeout(40_000, () => req.destroy());
    req.once('error', () => resolve(status));
    req.once('close', () => resolve(status));
    req.end(withBody);
  });
}

function startService(databasePath: string): Promise<{ child: ChildProcess; port: number; log: () => string }> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', 'src', 'main.ts')],
    {
      cwd: join(__dirname, '..'),
      env: {
        PATH: process.env.PATH,
        PORT: '0',
        DATABASE_PATH: databasePath,
        SOC_INGEST_TOKEN: INGEST_TOKEN,
        SOC_ADMIN_TOKEN: ADMIN_TOKEN,
        BOUNCER_API_KEYS: BOUNCER_KEY,
        INGEST_RATE_LIMIT: '1000000',
        LOG_LEVEL: 'log', // the start-up line names the port the system picked
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-20_000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`service did not start:\n${output}`));
    }, 120_000);
    child.stdout?.on('data', () => {
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), log: () => output });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited (${code}) before listening:\n${output}`));
    });
  });
}

describe(`fuzzing every route of the running service (${CASES} requests, FUZZ_SEED=${SEED})`, () => {
  const database = tempDatabase();
  let service: Awaited<ReturnType<typeof startService>>;
  let exited: number | null | undefined;
  beforeAll(async () => {
    service = await startService(database.path);
    service.child.once('exit', (code) => (exited = code));
  }, 150_000);
  afterAll(() => {
    service?.child.kill('SIGKILL');
    database.remove();
  });

  it('answers every request below 500 and stays alive', async () => {
    const inputs = fc.sample(fuzzRequest, { numRuns: CASES, seed: SEED });
    const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    const serverErrors: { status: number; input: string }[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < inputs.length && exited === undefined) {
        const input = inputs[next++];
        const status = await send(service.port, agent, input).catch(() => -1);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 500) {
          const shown = { ...input, body: input.body.bytes.subarray(0, 300).toString('latin1') };
          serverErrors.push({ status, input: JSON.stringify(shown) });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    agent.destroy();
    await new Promise((resolve) => setTimeout(resolve, 1000)); // a crash a moment later still counts
    const summary = [...statuses.entries()].sort(([a], [b]) => a - b);
    process.stdout.write(`fuzz statuses: ${JSON.stringify(summary)}\n`);
    expect({ exited, serverErrors: serverErrors.slice(0, 5), count5xx: serverErrors.length }).toEqual({
      exited: undefined,
      serverErrors: [],
      count5xx: 0,
    });
    // Every request got an answer (a connection error is -1): none was dropped.
    expect(statuses.get(-1) ?? 0).toBe(0);
    expect(summary.reduce((sum, [, n]) => sum + n, 0)).toBe(CASES);
  }, 600_000);
});
