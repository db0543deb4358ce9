import { Logger } from '@nestjs/common';
import request from 'supertest';
import { ADMIN_TOKEN, INGEST_TOKEN, startApp, TestApp } from './harness';

const EDGE_TOKEN = 'edge-forwarder-token-0123456789';
const SIEM_TOKEN = 'siem-forwarder-token-0123456789';
const BOUNCER_KEY = 'bouncer-key-for-tests-0123456789';
const ADMIN = { Authorization: `Bearer ${ADMIN_TOKEN}` };

function event(ip: string, i = 0) {
  return { source_ip: ip, event_type: 'http_request', url: `/item/${i}` };
}

describe('credentials: schemes in any case', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, SOC_ADMIN_TOKEN: ADMIN_TOKEN });
  });
  afterAll(() => t.close());

  it.each(['bearer', 'BEARER', 'bEaReR'])('POST /ingest-log with "%s <token>" → 202', async (scheme) => {
    await request(t.server)
      .post('/ingest-log')
      .set('Authorization', `${scheme} ${INGEST_TOKEN}`)
      .send(event('192.0.2.1'))
      .expect(202);
  });

  it.each(['bearer', 'BEARER'])('GET /decisions with "%s <admin token>" → 200', async (scheme) => {
    await request(t.server).get('/decisions').set('Authorization', `${scheme} ${ADMIN_TOKEN}`).expect(200);
  });

  it.each(['splunk', 'SPLUNK', 'Splunk'])('POST /services/collector/event with "%s <token>" → 200', async (scheme) => {
    await request(t.server)
      .post('/services/collector/event')
      .set('Authorization', `${scheme} ${INGEST_TOKEN}`)
      .send({ event: { source_ip: '192.0.2.2', message: 'probe' } })
      .expect(200);
  });
});

describe('credentials: named ingest tokens (SOC_INGEST_TOKENS)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({
      SOC_INGEST_TOKEN: INGEST_TOKEN,
      SOC_INGEST_TOKENS: `edge:${EDGE_TOKEN},siem:${SIEM_TOKEN}`,
      SOC_ADMIN_TOKEN: ADMIN_TOKEN,
    });
  });
  afterAll(() => t.close());

  async function sourcesOf(ip: string): Promise<(string | null)[]> {
    const res = await request(t.server).get(`/actors/${ip}`).set(ADMIN).expect(200);
    return (res.body as { recentEvents: { ingestSource: string | null }[] }).recentEvents.map((e) => e.ingestSource);
  }

  it('records on each event the name of the token it came with, on every ingest route, and never the token', async () => {
    await request(t.server)
      .post('/ingest-log')
      .set('Authorization', `Bearer ${EDGE_TOKEN}`)
      .send(event('198.51.100.11'))
      .expect(202);
    await request(t.server)
      .post('/ingest-log/batch')
      .set('X-SOC-Token', SIEM_TOKEN)
      .send([event('198.51.100.12', 1), event('198.51.100.12', 2)])
      .expect(202);
    await request(t.server)
      .post('/ingest-log/raw')
      .set('Authorization', `Bearer ${INGEST_TOKEN}`)
      .set('Content-Type', 'text/plain')
      .send('Nov 24 10:00:01 bastion-1 sshd[811]: Failed password for root from 198.51.100.13 port 4242 ssh2')
      .expect(202);
    await request(t.server)
      .post('/services/collector/event')
      .set('Authorization', `Splunk ${EDGE_TOKEN}`)
      .send({ event: { source_ip: '198.51.100.14', message: 'probe' } })
      .expect(200);
    expect(await sourcesOf('198.51.100.11')).toEqual(['edge']);
    expect(await sourcesOf('198.51.100.12')).toEqual(['siem', 'siem']);
    expect(await sourcesOf('198.51.100.13')).toEqual(['default']);
    expect(await sourcesOf('198.51.100.14')).toEqual(['edge']);
    const actor = await request(t.server).get('/actors/198.51.100.11').set(ADMIN).expect(200);
    expect(JSON.stringify(actor.body)).not.toContain(EDGE_TOKEN);
  });

  it('accepts both tokens of a rotation and refuses a token of another role', async () => {
    for (const token of [INGEST_TOKEN, EDGE_TOKEN, SIEM_TOKEN]) {
      await request(t.server).post('/ingest-log').set('X-SOC-Token', token).send(event('198.51.100.15')).expect(202);
    }
    await request(t.server)
      .post('/ingest-log')
      .set('X-SOC-Token', ADMIN_TOKEN)
      .send(event('198.51.100.15'))
      .expect(401);
    await request(t.server).get('/decisions').set('Authorization', `Bearer ${EDGE_TOKEN}`).expect(401);
  });
});

describe('credentials: a named token with its own per-address limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({
      SOC_INGEST_TOKEN: INGEST_TOKEN,
      SOC_INGEST_TOKENS: `edge:${EDGE_TOKEN}:5`,
      INGEST_RATE_LIMIT: '2',
    });
  });
  afterAll(() => t.close());

  it('gives the named token its limit and the others INGEST_RATE_LIMIT, each its own budget', async () => {
    const send = (token: string) =>
      request(t.server).post('/ingest-log').set('X-SOC-Token', token).send(event('203.0.113.30'));
    for (let i = 0; i < 2; i += 1) {
      await send(INGEST_TOKEN).expect(202);
    }
    const limited = await send(INGEST_TOKEN).expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    for (let i = 0; i < 5; i += 1) {
      const res = await send(EDGE_TOKEN).expect(202);
      expect(res.headers['x-ratelimit-limit']).toBe('5');
    }
    const edgeLimited = await send(EDGE_TOKEN).expect(429);
    expect(Number(edgeLimited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(edgeLimited.headers['retry-after'])).toBeLessThanOrEqual(120);
  });
});

describe('credentials: failed authentications are logged and throttled per address', () => {
  let t: TestApp;
  let warnings: string[];
  beforeAll(async () => {
    t = await startApp({
      SOC_INGEST_TOKEN: INGEST_TOKEN,
      SOC_ADMIN_TOKEN: ADMIN_TOKEN,
      BOUNCER_API_KEYS: BOUNCER_KEY,
      AUTH_FAILURE_LIMIT: '3',
      TRUST_PROXY: '127.0.0.1, ::1',
    });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    warnings = [];
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      warnings.push(String(message));
    });
  });
  afterEach(() => jest.restoreAllMocks());

  const WRONG = 'wrong-secret-guess-0123456789';
  type Headers = Record<string, string>;
  interface FailureCase {
    kind: string;
    client: string;
    route: string;
    send: (headers: Headers) => request.Test;
    wrong: Headers;
    right: Headers;
    refused: number;
    passed: number;
  }
  it.each<FailureCase>([
    {
      kind: 'ingest',
      client: '198.51.100.101',
      route: 'POST /ingest-log',
      send: (headers: Record<string, string>) =>
        request(t.server).post('/ingest-log').set(headers).send(event('192.0.2.50')),
      wrong: { Authorization: `Bearer ${WRONG}` },
      right: { Authorization: `Bearer ${INGEST_TOKEN}` },
      refused: 401,
      passed: 202,
    },
    {
      kind: 'hec',
      client: '198.51.100.102',
      route: 'POST /services/collector/event',
      send: (headers: Record<string, string>) =>
        request(t.server)
          .post('/services/collector/event')
          .set(headers)
          .send({ event: { source_ip: '192.0.2.51' } }),
      wrong: { Authorization: `Splunk ${WRONG}` },
      right: { Authorization: `Splunk ${INGEST_TOKEN}` },
      refused: 403,
      passed: 200,
    },
    {
      kind: 'admin',
      client: '198.51.100.103',
      route: 'GET /decisions',
      send: (headers: Record<string, string>) => request(t.server).get('/decisions').set(headers),
      wrong: { 'X-SOC-Admin-Token': WRONG },
      right: { 'X-SOC-Admin-Token': ADMIN_TOKEN },
      refused: 401,
      passed: 200,
    },
    {
      kind: 'bouncer',
      client: '198.51.100.104',
      route: 'GET /v1/decisions/stream',
      send: (headers: Record<string, string>) =>
        request(t.server).get('/v1/decisions/stream?startup=true').set(headers),
      wrong: { 'X-Api-Key': WRONG },
      right: { 'X-Api-Key': BOUNCER_KEY },
      refused: 403,
      passed: 200,
    },
  ])('$kind: 429 with Retry-After after 3 failures, even for the right secret', async (row) => {
    const from = (headers: Record<string, string>) => row.send({ ...headers, 'X-Forwarded-For': row.client });
    await from(row.right).expect(row.passed);
    for (let i = 0; i < 3; i += 1) {
      await from(row.wrong).expect(row.refused);
    }
    const locked = await from(row.right).expect(429);
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    // Sliding window: the rest of this minute, then until 3 failures weigh less than 2 (20 s).
    expect(retryAfter).toBeLessThanOrEqual(80);
    // Another address is not affected.
    await row.send({ ...row.right, 'X-Forwarded-For': '198.51.100.200' }).expect(row.passed);

    const failures = warnings.filter((line) => line.startsWith('authentication failed'));
    expect(failures).toHaveLength(3);
    expect(failures[0]).toBe(`authentication failed: ${row.route} from ${row.client} (${row.kind} credential wrong)`);
    expect(warnings.some((line) => line.includes(`${row.client} reached 3 failed authentications`))).toBe(true);
    for (const line of warnings) {
      for (const secret of [WRONG, INGEST_TOKEN, ADMIN_TOKEN, BOUNCER_KEY]) {
        expect(line).not.toContain(secret.slice(0, 8));
      }
    }
  });

  it('logs a missing and a malformed credential as such', async () => {
    await request(t.server)
      .post('/ingest-log')
      .set('X-Forwarded-For', '198.51.100.105')
      .send(event('192.0.2.52'))
      .expect(401);
    expect(warnings).toContain(
      'authentication failed: POST /ingest-log from 198.51.100.105 (ingest credential missing)',
    );
    await request(t.server)
      .post('/ingest-log')
      .set('X-Forwarded-For', '198.51.100.105')
      .set('Authorization', 'Basic dXNlcjpwYXNz')
      .send(event('192.0.2.52'))
      .expect(401);
    expect(warnings).toContain(
      'authentication failed: POST /ingest-log from 198.51.100.105 (ingest credential malformed)',
    );
  });
});
