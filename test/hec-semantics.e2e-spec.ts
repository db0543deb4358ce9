import request from 'supertest';
import { EventSink } from '../src/ingest/event-sink';
import { ADMIN_TOKEN, INGEST_TOKEN, startApp, TestApp } from './harness';

const SPLUNK = { Authorization: `Splunk ${INGEST_TOKEN}` };
const ADMIN = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const CHANNEL = '0f8fad5b-d9cb-469f-a165-70867728950e';
const OTHER_CHANNEL = '7c9e6679-7425-40de-944b-e07fc1f90ae7';

const envelope = (event: unknown) => JSON.stringify({ host: 'bastion-1', sourcetype: 'linux_secure', event });

/** The value of one sample of a Prometheus counter in /metrics text, 0 if absent. */
async function counter(t: TestApp, name: string, labels: string): Promise<number> {
  const text = (await request(t.server).get('/metrics').set(ADMIN).expect(200)).text;
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? 0 : Number(line.split(' ').pop());
}

describe('HEC semantics forwarders rely on', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, SOC_ADMIN_TOKEN: ADMIN_TOKEN });
  });
  afterAll(() => t.close());

  it('accepts a well-formed request whole: lines naming no actor are acknowledged and counted, the rest stored', async () => {
    const body = [
      envelope('Dec  6 03:10:01 bastion-1 sshd[1201]: pam_unix(sshd:auth): check pass; user unknown'),
      envelope(
        'Dec  6 03:10:03 bastion-1 sshd[1201]: Failed password for invalid user oracle from 203.0.113.140 port 51234 ssh2',
      ),
      envelope('Dec  6 03:17:01 bastion-1 CRON[1301]: pam_unix(cron:session): session closed for user root'),
      JSON.stringify({ event: { message: 'no address here' } }),
      JSON.stringify({ event: { source_ip: '999.1.1.1' } }),
      JSON.stringify({ event: 42 }),
      JSON.stringify({ event: { source_ip: '203.0.113.141', url: '/.env' } }),
    ].join('\n');
    const before = await counter(t, 'soc_ingest_items_total', 'route="hec_event",status="unparsed"');
    await request(t.server)
      .post('/services/collector/event')
      .set(SPLUNK)
      .send(body)
      .expect(200, { text: 'Success', code: 0 });
    await request(t.server).get('/actors/203.0.113.140').set(ADMIN).expect(200);
    await request(t.server).get('/actors/203.0.113.141').set(ADMIN).expect(200);
    expect(await counter(t, 'soc_ingest_items_total', 'route="hec_event",status="unparsed"')).toBe(before + 3);
    expect(await counter(t, 'soc_ingest_items_total', 'route="hec_event",status="rejected"')).toBe(2);
    expect(
      await counter(t, 'soc_ingest_unusable_total', 'route="hec_event",format="syslog3164",reason="no_address"'),
    ).toBe(2);
    expect(await counter(t, 'soc_ingest_unusable_total', 'route="hec_event",format="json",reason="no_address"')).toBe(
      1,
    );
  });

  it('accepts raw lines whole, counting those that name no actor', async () => {
    const lines = [
      'Dec  6 03:10:01 bastion-1 sshd[1201]: pam_unix(sshd:auth): check pass; user unknown',
      'Dec  6 03:10:03 bastion-1 sshd[1201]: Invalid user test from 203.0.113.142 port 40022',
      'Dec  6 03:10:04 bastion-1 sshd[1201]: Received disconnect from 203.0.113.142 port 40022:11: Bye Bye [preauth]',
    ].join('\n');
    await request(t.server)
      .post('/services/collector/raw?sourcetype=linux_secure')
      .set(SPLUNK)
      .set('Content-Type', 'text/plain')
      .send(lines)
      .expect(200, { text: 'Success', code: 0 });
    const actor = await request(t.server).get('/actors/203.0.113.142').set(ADMIN).expect(200);
    expect(actor.body.profile.eventCount).toBe(2);
    expect(await counter(t, 'soc_ingest_items_total', 'route="hec_raw",status="unparsed"')).toBe(1);
  });

  it('counts a bare message with no header and no actor (what syslog-ng sends as $MSG) as format "unknown"', async () => {
    await request(t.server)
      .post('/services/collector/event')
      .set(SPLUNK)
      .send(envelope('New session 42 of user alice.'))
      .expect(200, { text: 'Success', code: 0 });
    expect(
      await counter(t, 'soc_ingest_unusable_total', 'route="hec_event",format="unknown",reason="unknown_format"'),
    ).toBe(1);
  });

  it('still answers 400 for a body that is broken as JSON, keeping the events before it', async () => {
    const res = await request(t.server)
      .post('/services/collector/event')
      .set(SPLUNK)
      .send(`${JSON.stringify({ event: { source_ip: '203.0.113.143' } })}{"event":`)
      .expect(400);
    expect(res.body).toMatchObject({ text: 'Invalid data format', code: 6, 'invalid-event-number': 1 });
    await request(t.server).get('/actors/203.0.113.143').set(ADMIN).expect(200);
  });

  it('answers 503 in HEC form with Retry-After while the write queue is full, on every HEC route', async () => {
    const busy = jest.spyOn(t.app.get(EventSink), 'busy', 'get').mockReturnValue(true);
    try {
      for (const path of ['/services/collector/event', '/services/collector/raw']) {
        const res = await request(t.server).post(path).set(SPLUNK).send(envelope('x')).expect(503);
        expect(res.body).toEqual({ text: 'Server is busy', code: 9 });
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
      const health = await request(t.server).get('/services/collector/health').expect(503);
      expect(health.body).toEqual({ text: 'Server is busy', code: 9 });
      for (const path of ['/ingest-log/batch', '/ingest-log']) {
        const res = await request(t.server)
          .post(path)
          .set('X-SOC-Token', INGEST_TOKEN)
          .send(path.endsWith('batch') ? [{ source_ip: '192.0.2.1' }] : { source_ip: '192.0.2.1' })
          .expect(503);
        expect(res.body.message).toMatch(/write queue is full/);
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
      }
    } finally {
      busy.mockRestore();
    }
  });

  it('ignores a channel when HEC_ACK is off (Vector and others always send one): no ackId', async () => {
    await request(t.server)
      .post('/services/collector/event')
      .set(SPLUNK)
      .set('X-Splunk-Request-Channel', 'not even a GUID')
      .send(JSON.stringify({ event: { source_ip: '192.0.2.144' } }))
      .expect(200, { text: 'Success', code: 0 });
  });

  it('answers /services/collector/ack with ACK is disabled (code 14) when HEC_ACK is off', async () => {
    await request(t.server)
      .post('/services/collector/ack')
      .set(SPLUNK)
      .set('X-Splunk-Request-Channel', CHANNEL)
      .send('{"acks":[0]}')
      .expect(400, { text: 'ACK is disabled', code: 14 });
  });
});

describe('HEC rate limit in HEC form', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, INGEST_RATE_LIMIT: '2' });
  });
  afterAll(() => t.close());

  it('answers 429 {"text":"Server is busy","code":9} with Retry-After past INGEST_RATE_LIMIT', async () => {
    const body = JSON.stringify({ event: { source_ip: '192.0.2.150' } });
    await request(t.server).post('/services/collector/event').set(SPLUNK).send(body).expect(200);
    await request(t.server).post('/services/collector/event').set(SPLUNK).send(body).expect(200);
    const limited = await request(t.server).post('/services/collector/event').set(SPLUNK).send(body).expect(429);
    expect(limited.body).toEqual({ text: 'Server is busy', code: 9 });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    // The sliding window's next free slot: at most one window plus one window over the limit.
    expect(retryAfter).toBeLessThanOrEqual(60 + 60 / 2);
    const raw = await request(t.server).post('/services/collector/raw').set(SPLUNK).send('x').expect(429);
    expect(raw.body).toEqual({ text: 'Server is busy', code: 9 });
  });
});

describe('HEC indexer acknowledgement (HEC_ACK=true)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ SOC_INGEST_TOKEN: INGEST_TOKEN, HEC_ACK: 'true', HEC_ACK_MAX_CHANNELS: '2' });
  });
  afterAll(() => t.close());

  const send = (channel: string | undefined, body: string, path = '/services/collector/event') => {
    const req = request(t.server).post(path).set(SPLUNK);
    return channel === undefined ? req.send(body) : req.set('X-Splunk-Request-Channel', channel).send(body);
  };
  const event = JSON.stringify({
    event: 'Dec  6 03:10:01 bastion-1 sshd[1201]: pam_unix(sshd:auth): check pass; user unknown',
  });

  it.each([
    { name: 'no channel', channel: undefined, answer: { text: 'Data channel is missing', code: 10 } },
    {
      name: 'a channel that is not a GUID',
      channel: 'forwarder-1',
      answer: { text: 'Invalid data channel', code: 11 },
    },
  ])('refuses $name with 400, as Splunk does', async ({ channel, answer }) => {
    await send(channel, event).expect(400, answer);
    await send(channel, 'line', '/services/collector/raw').expect(400, answer);
    const ack = request(t.server).post('/services/collector/ack').set(SPLUNK);
    await (channel === undefined ? ack : ack.set('X-Splunk-Request-Channel', channel))
      .send('{"acks":[0]}')
      .expect(400, answer);
  });

  it('gives each committed request an ackId per channel; /ack answers true once, false for others', async () => {
    const first = await send(CHANNEL, event).expect(200);
    expect(first.body).toEqual({ text: 'Success', code: 0, ackId: 0 });
    const second = await send(
      CHANNEL,
      'Dec  6 03:10:03 bastion-1 sshd[9]: Invalid user a from 203.0.113.160 port 1',
      '/services/collector/raw',
    ).expect(200);
    expect(second.body.ackId).toBe(1);
    const elsewhere = await request(t.server)
      .post(`/services/collector/event?channel=${OTHER_CHANNEL}`)
      .set(SPLUNK)
      .send(event)
      .expect(200);
    expect(elsewhere.body.ackId).toBe(0);
    const acks = await request(t.server)
      .post('/services/collector/ack')
      .set(SPLUNK)
      .set('X-Splunk-Request-Channel', CHANNEL.toUpperCase())
      .send('{"acks":[0,1,2]}')
      .expect(200);
    expect(acks.body).toEqual({ acks: { '0': true, '1': true, '2': false } });
    const again = await request(t.server)
      .post(`/services/collector/ack?channel=${CHANNEL}`)
      .set(SPLUNK)
      .send('{"acks":[0,1]}')
      .expect(200);
    expect(again.body).toEqual({ acks: { '0': false, '1': false } });
  });

  it.each([
    { name: 'not JSON', body: 'acks' },
    { name: 'no acks array', body: '{"ids":[0]}' },
    { name: 'a negative id', body: '{"acks":[-1]}' },
    { name: 'a string id', body: '{"acks":["0"]}' },
  ])('answers an ack query with $name as Invalid data format', async ({ body }) => {
    const res = await request(t.server)
      .post('/services/collector/ack')
      .set(SPLUNK)
      .set('X-Splunk-Request-Channel', CHANNEL)
      .send(body)
      .expect(400);
    expect(res.body).toMatchObject({ text: 'Invalid data format', code: 6 });
  });

  it('answers 503 Server is busy with Retry-After for a new channel past HEC_ACK_MAX_CHANNELS', async () => {
    const res = await send('3f2504e0-4f89-41d3-9a0c-0305e82c3301', event).expect(503);
    expect(res.body).toEqual({ text: 'Server is busy', code: 9 });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    await send(CHANNEL, event).expect(200);
  });
});
