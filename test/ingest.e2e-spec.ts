import request from 'supertest';
import { MemoryService } from '../src/memory/memory.service';
import { onPostgres, sshFailures, startApp, TestApp } from './harness';

describe('POST /ingest-log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ INGEST_MAX_BODY: '4096' });
  });
  afterAll(() => t.close());

  it('accepts a flat event and answers 202 with id, actor, verdict and decision', async () => {
    const res = await request(t.server)
      .post('/ingest-log')
      .send({
        timestamp: '2026-11-24T10:00:00Z',
        source_ip: '192.0.2.10',
        event_type: 'http_request',
        url: '/index.html',
      })
      .expect(202);
    expect(res.body).toMatchObject({
      actor: '192.0.2.10',
      signals: [],
      verdict: { level: 'none', provider: 'heuristic' },
      decision: null,
    });
    expect(res.body.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('accepts the ECS form and tags a SQL injection, which blocks at once', async () => {
    const res = await request(t.server)
      .post('/ingest-log')
      .send({
        '@timestamp': '2026-11-24T10:00:00Z',
        source: { ip: '198.51.100.23' },
        event: { action: 'http_request', outcome: 'failure' },
        url: { original: "/search?q=1'%20UNION%20SELECT%20password%20FROM%20users--" },
        user_agent: { original: 'sqlmap/1.7.2#stable (https://sqlmap.org)' },
      })
      .expect(202);
    expect(res.body.signals).toEqual(expect.arrayContaining(['sql_injection', 'scanner']));
    expect(res.body.decision).toMatchObject({
      action: 'block',
      ruleId: 'web-attack-high',
      value: '198.51.100.23',
      origin: 'policy',
    });
  });

  it('accepts ECS written with dotted keys', async () => {
    const res = await request(t.server)
      .post('/ingest-log')
      .send({
        '@timestamp': '2026-11-24T10:00:00Z',
        'source.ip': '192.0.2.44',
        'event.action': 'login',
        'event.outcome': 'success',
      })
      .expect(202);
    expect(res.body.actor).toBe('192.0.2.44');
  });

  it('finds the source address in an sshd message and canonicalises it', async () => {
    const res = await request(t.server)
      .post('/ingest-log')
      .send({ message: 'Failed password for root from ::ffff:203.0.113.99 port 4242 ssh2' })
      .expect(202);
    expect(res.body).toMatchObject({ actor: '203.0.113.99', signals: ['auth_failure'] });
  });

  it('blocks an SSH brute force after the fifth failure and leaves a benign neighbour alone', async () => {
    const failures = sshFailures('203.0.113.7', 5);
    const answers = [];
    for (const event of failures) {
      answers.push((await request(t.server).post('/ingest-log').send(event).expect(202)).body);
    }
    expect(answers.slice(0, 2).map((a) => a.decision?.action)).toEqual(['monitor', 'monitor']);
    expect(answers[2].decision.action).toBe('alert');
    expect(answers[4].decision).toMatchObject({
      action: 'block',
      ruleId: 'ssh-brute-force',
      reason: '5 or more authentication failures within 10 minutes',
    });

    const benign = await request(t.server)
      .post('/ingest-log')
      .send({ source_ip: '203.0.113.8', message: 'Accepted publickey for alice from 203.0.113.8 port 5000 ssh2' })
      .expect(202);
    expect(benign.body.decision).toBeNull();

    const list = await request(t.server).get('/decisions?action=block').expect(200);
    const blocked = list.body.items.map((d: { value: string }) => d.value);
    expect(blocked).toContain('203.0.113.7');
    expect(blocked).not.toContain('203.0.113.8');
  });

  it.each([
    {
      name: 'an invalid IPv4 address',
      body: { source_ip: '999.1.1.1' },
      reason: /source_ip is not a valid IP address/,
    },
    { name: 'an address with a port', body: { source_ip: '203.0.113.7:22' }, reason: /not a valid IP/ },
    { name: 'no source address at all', body: { message: 'hello' }, reason: /no usable source address/ },
    { name: 'a number where a string belongs', body: { source_ip: 12345 }, reason: /source_ip must be a string/ },
    {
      name: 'a string where a port belongs',
      body: { source_ip: '192.0.2.1', source_port: '22' },
      reason: /source_port/,
    },
    { name: 'an unknown outcome', body: { source_ip: '192.0.2.1', outcome: 'maybe' }, reason: /outcome/ },
    { name: 'a malformed timestamp', body: { source_ip: '192.0.2.1', timestamp: 'yesterday' }, reason: /timestamp/ },
    {
      name: 'an impossible date',
      body: { source_ip: '192.0.2.1', timestamp: '2026-13-45T10:00:00Z' },
      reason: /timestamp/,
    },
    {
      name: 'an ECS object given as a string',
      body: { '@timestamp': '2026-11-24T10:00:00Z', source: '192.0.2.1' },
      reason: /source must be an object/,
    },
    { name: 'a nested wrong type', body: { source: { ip: '192.0.2.1', port: 'x' } }, reason: /source\.port/ },
    {
      name: 'an array instead of an object',
      body: [{ source_ip: '192.0.2.1' }],
      reason: /record must be a JSON object/,
    },
    {
      name: 'an over-long user name',
      body: { source_ip: '192.0.2.1', user: 'x'.repeat(600) },
      reason: /user must be shorter than or equal to 512/,
    },
  ])('400 for $name', async ({ body, reason }) => {
    const res = await request(t.server).post('/ingest-log').send(body).expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(reason);
  });

  it('400 for malformed JSON', async () => {
    const res = await request(t.server)
      .post('/ingest-log')
      .set('Content-Type', 'application/json')
      .send('{"source_ip": "1.2.3.4",')
      .expect(400);
    expect(res.body.message).toMatch(/JSON/i);
  });

  it('413 for a body over INGEST_MAX_BODY', async () => {
    const res = await request(t.server)
      .post('/ingest-log')
      .send({ source_ip: '192.0.2.1', message: 'x'.repeat(5000) })
      .expect(413);
    expect(res.body.statusCode).toBe(413);
  });

  it('415 for a content type it does not read', async () => {
    await request(t.server).post('/ingest-log').set('Content-Type', 'application/xml').send('<event/>').expect(415);
  });

  it('clamps an event time far in the future to the time received', async () => {
    await request(t.server)
      .post('/ingest-log')
      .send({ source_ip: '192.0.2.77', timestamp: '2099-01-01T00:00:00Z' })
      .expect(202);
    const actor = await request(t.server).get('/actors/192.0.2.77').expect(200);
    expect(Date.parse(actor.body.profile.lastSeen)).toBeLessThanOrEqual(Date.now());
  });

  it('stores text exactly as received, NUL characters and all, alone or in a batch', async () => {
    // Rows go to SQLite as one JSON document, whose functions would cut text at a NUL: such
    // rows are bound value by value instead. A lone surrogate is stored as binding stores it.
    const tricky = { message: 'before\u0000after', user_agent: 'agent\u0000x', url: '/a\u0000b' };
    const plain = { message: 'plain text', user_agent: 'curl/8', url: '/ok' };
    await request(t.server)
      .post('/ingest-log/batch')
      .send([
        { source_ip: '192.0.2.88', ...tricky },
        { source_ip: '192.0.2.89', ...plain },
      ])
      .expect(202);
    await request(t.server)
      .post('/ingest-log')
      .send({ source_ip: '192.0.2.90', message: 'lone \ud800 surrogate' })
      .expect(202);
    const memory = t.app.get(MemoryService);
    const [stored] = await memory.recentEvents('192.0.2.88', 1);
    // PostgreSQL's text cannot hold NUL at all: there it is stored as U+FFFD.
    const kept = onPostgres
      ? Object.fromEntries(Object.entries(tricky).map(([k, v]) => [k, v.replaceAll('\u0000', '\ufffd')]))
      : tricky;
    expect({ message: stored.message, user_agent: stored.userAgent, url: stored.url }).toEqual(kept);
    const [other] = await memory.recentEvents('192.0.2.89', 1);
    expect({ message: other.message, user_agent: other.userAgent, url: other.url }).toEqual(plain);
    const [lone] = await memory.recentEvents('192.0.2.90', 1);
    expect(lone.message).toBe('lone \ufffd surrogate');
  });
});
