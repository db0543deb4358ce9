import request from 'supertest';
import { gzipSync } from 'node:zlib';
import { INGEST_TOKEN, TestApp, passBuffer, startApp } from './harness';

const SPLUNK = { Authorization: `Splunk ${INGEST_TOKEN}` };
const sshd = (ip: string, i: number) =>
  `Nov 24 10:00:0${i} bastion-1 sshd[811]: Failed password for root from ${ip} port 4242 ssh2`;

describe('Splunk HEC compatibility', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, INGEST_MAX_BATCH: '20' });
  });
  afterAll(() => t.close());

  it('answers health without a token, as Splunk does', async () => {
    await request(t.server).get('/services/collector/health').expect(200, { text: 'HEC is healthy', code: 17 });
  });

  it('takes concatenated envelopes with object and string events, and blocks the attacker in them', async () => {
    const body =
      [1, 2, 3, 4, 5]
        .map((i) =>
          JSON.stringify({
            time: 1764000000 + i,
            host: 'bastion-1',
            sourcetype: 'linux_secure',
            event: sshd('203.0.113.70', i),
          }),
        )
        .join('') +
      JSON.stringify({ event: { source_ip: '198.51.100.71', url: '/.git/config' }, fields: { outcome: 'failure' } });
    await request(t.server)
      .post('/services/collector/event')
      .set(SPLUNK)
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(200, { text: 'Success', code: 0 });
    const actor = await request(t.server).get('/actors/203.0.113.70').expect(200);
    expect(actor.body.profile.eventCount).toBe(5);
    expect(actor.body.decision).toMatchObject({ action: 'block', ruleId: 'ssh-brute-force' });
    expect(actor.body.recentEvents[0].eventTime).toBe(new Date(1764000005000).toISOString());
    expect(actor.body.recentEvents[0].host).toBe('bastion-1');
    const prober = await request(t.server).get('/actors/198.51.100.71').expect(200);
    expect(prober.body.profile.signalCounts).toEqual({ sensitive_file_probe: 1 });
  });

  it('serves /services/collector as an alias and accepts newline-separated envelopes', async () => {
    const body = `${JSON.stringify({ event: { source_ip: '192.0.2.72' } })}\n${JSON.stringify({ event: { source_ip: '192.0.2.73' } })}\n`;
    await request(t.server)
      .post('/services/collector')
      .set(SPLUNK)
      .send(body)
      .expect(200, { text: 'Success', code: 0 });
    await request(t.server).get('/actors/192.0.2.73').expect(200);
  });

  it.each([
    { name: 'no Authorization header', headers: {}, status: 401, body: { text: 'Token is required', code: 2 } },
    {
      name: 'a Bearer header',
      headers: { Authorization: `Bearer ${INGEST_TOKEN}` },
      status: 401,
      body: { text: 'Invalid authorization', code: 3 },
    },
    {
      name: 'a wrong token',
      headers: { Authorization: 'Splunk 00000000-0000-0000-0000-000000000000' },
      status: 403,
      body: { text: 'Invalid token', code: 4 },
    },
  ])('answers $name with Splunk status and body', async ({ headers, status, body }) => {
    await request(t.server)
      .post('/services/collector/event')
      .set(headers)
      .send('{"event":{"source_ip":"192.0.2.1"}}')
      .expect(status, body);
  });

  it.each([
    { name: 'an empty body', body: '', answer: { text: 'No data', code: 5 } },
    {
      name: 'invalid JSON in the second event',
      body: '{"event":{"source_ip":"192.0.2.80"}}{"event":',
      answer: { text: 'Invalid data format', code: 6, 'invalid-event-number': 1 },
    },
    {
      name: 'an envelope without event',
      body: '{"event":{"source_ip":"192.0.2.81"}}{"time":1}',
      answer: { text: 'Event field is required', code: 12, 'invalid-event-number': 1 },
    },
    {
      name: 'a blank event',
      body: '{"event":""}',
      answer: { text: 'Event field cannot be blank', code: 13, 'invalid-event-number': 0 },
    },
  ])('answers $name with the Splunk code', async ({ body, answer }) => {
    const res = await request(t.server)
      .post('/services/collector/event')
      .set(SPLUNK)
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(400);
    expect(res.body).toMatchObject(answer);
  });

  it('keeps the events before the first bad one, as Splunk does', async () => {
    await request(t.server).get('/actors/192.0.2.80').expect(200);
    await request(t.server).get('/actors/192.0.2.81').expect(200);
  });

  it('takes raw lines on /services/collector/raw, with the sourcetype naming the format', async () => {
    const lines = [
      '198.51.100.90 - - [24/Nov/2026:10:00:00 +0000] "GET /wp-config.php.bak HTTP/1.1" 404 0 "-" "Mozilla/5.0"',
      '198.51.100.90 - - [24/Nov/2026:10:00:01 +0000] "GET /index.html HTTP/1.1" 200 10 "-" "Mozilla/5.0"',
    ].join('\n');
    await request(t.server)
      .post('/services/collector/raw?sourcetype=access_combined')
      .set(SPLUNK)
      .set('Content-Type', 'text/plain')
      .send(lines)
      .expect(200, { text: 'Success', code: 0 });
    const actor = await request(t.server).get('/actors/198.51.100.90').expect(200);
    expect(actor.body.profile.eventCount).toBe(2);
  });

  it('reads a gzip-compressed HEC body', async () => {
    const body = gzipSync(Buffer.from(JSON.stringify({ event: { source_ip: '192.0.2.95' } })));
    await request(t.server)
      .post('/services/collector/event')
      .set(SPLUNK)
      .set('Content-Encoding', 'gzip')
      .set('Content-Type', 'application/json')
      .serialize(passBuffer)
      .send(body)
      .expect(200);
    await request(t.server).get('/actors/192.0.2.95').expect(200);
  });
});
