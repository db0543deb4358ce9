import { connect, Socket } from 'node:net';
import { AddressInfo } from 'node:net';
import request from 'supertest';
import { ADMIN_TOKEN, INGEST_TOKEN, startApp, TestApp } from './harness';

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const deepRecord = (depth: number) => `{"source_ip":"192.0.2.50","x":${nested(depth)}}`;

async function listening(t: TestApp): Promise<number> {
  await t.app.listen(0, '127.0.0.1');
  return (t.app.getHttpServer().address() as AddressInfo).port;
}

/** Everything the server writes on a socket until it closes it (or `ms` pass: then `timedOut`). */
function untilClosed(socket: Socket, ms: number): Promise<{ text: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    let text = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text, timedOut: true });
    }, ms);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text, timedOut: false });
    });
  });
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.once('error', reject);
  });
}

describe('JSON nesting is bounded on every route that reads JSON', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ SOC_ADMIN_TOKEN: ADMIN_TOKEN, SOC_INGEST_TOKEN: INGEST_TOKEN });
  });
  afterAll(() => t.close());

  const ingest = { Authorization: `Bearer ${INGEST_TOKEN}` };
  it.each([
    { path: '/ingest-log', type: 'application/json', body: nested(5000) },
    { path: '/ingest-log', type: 'application/json', body: deepRecord(5000) },
    { path: '/ingest-log/batch', type: 'application/json', body: `[${deepRecord(100)}]` },
    { path: '/decisions', type: 'application/json', body: deepRecord(5000), admin: true },
  ])('$path as $type: 400 that names the limit', async ({ path, type, body, admin }) => {
    const res = await request(t.server)
      .post(path)
      .set(admin ? { Authorization: `Bearer ${ADMIN_TOKEN}` } : ingest)
      .set('Content-Type', type)
      .send(body)
      .expect(400);
    expect(JSON.stringify(res.body)).toContain('JSON nested deeper than 32 levels');
  });

  // A line of NDJSON or raw text is one item of its request: a line nested too deep is that
  // item rejected with the limit as its reason, and the other lines still count.
  it.each([
    { path: '/ingest-log/batch', type: 'application/x-ndjson' },
    { path: '/ingest-log/raw', type: 'text/plain' },
  ])(
    '$path as $type: the line nested too deep is rejected, naming the limit; the others are stored',
    async ({ path, type }) => {
      const res = await request(t.server)
        .post(path)
        .set(ingest)
        .set('Content-Type', type)
        .send(`${deepRecord(5000)}\n{"source_ip":"192.0.2.51"}`)
        .expect(202);
      expect(res.body).toMatchObject({ accepted: 1, rejected: 1 });
      expect(res.body.results[0]).toMatchObject({
        status: 'rejected',
        reason: expect.stringContaining('JSON nested deeper than 32 levels'),
      });
    },
  );

  it.each([
    { path: '/services/collector/event', body: `{"event":${deepRecord(5000)}}` },
    { path: '/services/collector/raw', body: deepRecord(5000) },
  ])('$path: a HEC answer, never a 5xx', async ({ path, body }) => {
    const res = await request(t.server).post(path).set('Authorization', `Splunk ${INGEST_TOKEN}`).send(body);
    expect(res.status).toBeLessThan(500);
  });

  it('still takes an ordinary ECS record (five levels deep)', async () => {
    await request(t.server)
      .post('/ingest-log')
      .set(ingest)
      .send({ source: { ip: '192.0.2.51' }, http: { request: { method: 'GET' } }, url: { original: '/' } })
      .expect(202);
  });
});

describe('slow clients are cut off', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startApp({ HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_HEADERS_TIMEOUT_MS: '1000' });
    port = await listening(t);
  });
  afterAll(() => t.close());

  it('a body sent a byte at a time gets 408 once the request timeout passes', async () => {
    const socket = await open(port);
    socket.write(
      'POST /ingest-log HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{',
    );
    const drip = setInterval(() => socket.writable && socket.write(' '), 300);
    const answer = await untilClosed(socket, 8000);
    clearInterval(drip);
    expect(answer.timedOut).toBe(false);
    expect(answer.text).toMatch(/^HTTP\/1\.1 408/);
  });

  it('headers that never end get 408 once the headers timeout passes', async () => {
    const socket = await open(port);
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => socket.writable && socket.write('X-A: b\r\n'), 300);
    const answer = await untilClosed(socket, 8000);
    clearInterval(drip);
    expect(answer.timedOut).toBe(false);
    expect(answer.text).toMatch(/^HTTP\/1\.1 408/);
  });

  it('refuses a headers timeout longer than the request timeout at start', async () => {
    await expect(() => startApp({ HTTP_REQUEST_TIMEOUT_MS: '2000', HTTP_HEADERS_TIMEOUT_MS: '5000' })).rejects.toThrow(
      'HTTP_HEADERS_TIMEOUT_MS: must not be over HTTP_REQUEST_TIMEOUT_MS',
    );
  });
});

describe('open connections per address are capped', () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await startApp({ HTTP_MAX_CONNECTIONS_PER_IP: '3' });
    port = await listening(t);
  });
  afterAll(() => t.close());

  it('answers the connection over the cap with 429 and a reason, and admits again once one closes', async () => {
    const held = await Promise.all([open(port), open(port), open(port)]);
    const over = await open(port);
    const refused = await untilClosed(over, 5000);
    expect(refused.timedOut).toBe(false);
    expect(refused.text).toMatch(/^HTTP\/1\.1 429/);
    expect(refused.text).toContain('HTTP_MAX_CONNECTIONS_PER_IP');
    expect(refused.text).toMatch(/Retry-After: 1/);

    const closed = untilClosed(held[0], 5000);
    held[0].destroy();
    await closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await open(port);
    again.write('GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    const answer = await untilClosed(again, 5000);
    expect(answer.text).toMatch(/^HTTP\/1\.1 200/);
    held.slice(1).forEach((socket) => socket.destroy());
  });
});
