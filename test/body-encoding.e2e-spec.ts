import { request as httpRequest } from 'node:http';
import { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { ADMIN_TOKEN, INGEST_TOKEN, startApp, TestApp } from './harness';

const BOUNCER_KEY = 'test-bouncer-key-0123456789';
const gzipped = gzipSync(Buffer.from('{"source_ip":"192.0.2.10","message":"x"}'));
/** The first ten bytes of a gzip stream: a valid header and nothing else (zlib's Z_BUF_ERROR). */
const truncated = gzipped.subarray(0, 10);
/** A valid header followed by bytes that are not deflate data (zlib's Z_DATA_ERROR). */
const corrupt = Buffer.concat([gzipped.subarray(0, 10), Buffer.from('not deflate data at all, not at all')]);

interface Answer {
  status: number;
  body: string;
}

/** One request with exactly these headers (no Content-Type unless given), over a real socket. */
function send(port: number, method: string, path: string, headers: Record<string, string>, body: Buffer) {
  return new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: { ...headers, 'Content-Length': String(body.length) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const ingest = { Authorization: `Bearer ${INGEST_TOKEN}` };
const admin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const json = { 'Content-Type': 'application/json' };

/** Every route family: where a body is read, bad gzip is a 400 with a reason; where not, it is ignored. */
const ROUTES: { family: string; method: string; path: string; headers: Record<string, string>; read: boolean }[] = [
  { family: 'health', method: 'GET', path: '/health', headers: {}, read: false },
  { family: 'docs', method: 'GET', path: '/docs-json', headers: {}, read: false },
  { family: 'decisions (read)', method: 'GET', path: '/decisions', headers: admin, read: false },
  {
    family: 'bouncer',
    method: 'GET',
    path: '/v1/decisions/stream?startup=true',
    headers: { 'X-Api-Key': BOUNCER_KEY },
    read: false,
  },
  { family: 'HEC health', method: 'GET', path: '/services/collector/health', headers: {}, read: false },
  { family: 'ingest, no Content-Type', method: 'POST', path: '/ingest-log', headers: ingest, read: true },
  { family: 'ingest, JSON', method: 'POST', path: '/ingest-log', headers: { ...ingest, ...json }, read: true },
  {
    family: 'batch, NDJSON',
    method: 'POST',
    path: '/ingest-log/batch',
    headers: { ...ingest, 'Content-Type': 'application/x-ndjson' },
    read: true,
  },
  {
    family: 'raw lines',
    method: 'POST',
    path: '/ingest-log/raw',
    headers: { ...ingest, 'Content-Type': 'text/plain' },
    read: true,
  },
  {
    family: 'HEC event',
    method: 'POST',
    path: '/services/collector/event',
    headers: { Authorization: `Splunk ${INGEST_TOKEN}` },
    read: true,
  },
  {
    family: 'HEC raw',
    method: 'POST',
    path: '/services/collector/raw',
    headers: { Authorization: `Splunk ${INGEST_TOKEN}` },
    read: true,
  },
  { family: 'manual decision', method: 'POST', path: '/decisions', headers: { ...admin, ...json }, read: true },
  {
    family: 'revoke',
    method: 'DELETE',
    path: '/decisions/00000000-0000-4000-8000-000000000000',
    headers: { ...admin, ...json },
    read: true,
  },
  {
    family: 'feedback',
    method: 'POST',
    path: '/actors/192.0.2.1/feedback',
    headers: { ...admin, ...json },
    read: true,
  },
  { family: 'unknown route', method: 'POST', path: '/no/such/route', headers: json, read: true },
];

describe('Content-Encoding: gzip that is corrupt or truncated', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, SOC_ADMIN_TOKEN: ADMIN_TOKEN, BOUNCER_API_KEYS: BOUNCER_KEY });
    await t.app.listen(0, '127.0.0.1');
    port = (t.app.getHttpServer().address() as AddressInfo).port;
  });
  afterAll(() => t.close());

  describe.each([
    { kind: 'truncated', body: truncated, reason: /not valid gzip \(truncated\)/ },
    { kind: 'corrupt', body: corrupt, reason: /not valid gzip/ },
  ])('$kind', ({ body, reason }) => {
    it.each(ROUTES)('$family ($method $path)', async ({ method, path, headers, read }) => {
      const answer = await send(port, method, path, { ...headers, 'Content-Encoding': 'gzip' }, body);
      if (read) {
        expect(answer.status).toBe(400);
        expect(answer.body).toMatch(reason);
      } else {
        // The body is never read, so its encoding does not matter: the route answers as usual.
        expect(answer.status).toBeLessThan(400);
      }
    });
  });

  it('is still alive and answering after every one of them', async () => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const answer = await send(port, 'GET', '/health', {}, Buffer.alloc(0));
    expect(answer.status).toBe(200);
  });

  it('still reads a valid gzip body sent with no Content-Type on HEC (any type goes there)', async () => {
    const event = gzipSync(Buffer.from(JSON.stringify({ event: { source_ip: '192.0.2.77' } })));
    const answer = await send(
      port,
      'POST',
      '/services/collector/event',
      { Authorization: `Splunk ${INGEST_TOKEN}`, 'Content-Encoding': 'gzip' },
      event,
    );
    expect(answer).toMatchObject({ status: 200 });
    expect(JSON.parse(answer.body)).toMatchObject({ code: 0 });
  });
});
