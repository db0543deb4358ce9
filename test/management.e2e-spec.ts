import request from 'supertest';
import { BY, HOUR, manual, storeDecision } from './decision-fixtures';
import { ADMIN_TOKEN, sshFailures, startApp, TestApp } from './harness';

const ago = (iso: string): number => Date.now() - Date.parse(iso);
const lasts = (decision: { createdAt: string; expiresAt: string }): number =>
  Date.parse(decision.expiresAt) - Date.parse(decision.createdAt);

describe('POST /decisions (manual block and allow)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('blocks an address written in any spelling, for the duration given, as a manual decision', async () => {
    const res = await manual(t, { action: 'block', value: '::ffff:192.0.2.10', duration: '4h' }).expect(201);
    expect(res.body.decision).toMatchObject({
      scope: 'ip',
      value: '192.0.2.10',
      action: 'block',
      origin: 'manual',
      status: 'active',
      ruleId: 'manual',
      reason: 'test',
      createdBy: BY,
      revokedAt: null,
    });
    expect(lasts(res.body.decision)).toBe(4 * HOUR);
    expect(ago(res.body.decision.createdAt)).toBeLessThan(5000);
    expect(res.body.revoked).toEqual([]);
    const list = await request(t.server).get('/decisions?origin=manual&value=192.0.2.10').expect(200);
    expect(list.body.items.map((d: { id: string }) => d.id)).toEqual([res.body.decision.id]);
  });

  it.each([
    { value: '198.51.100.0/24', duration: '30m', scope: 'range', stored: '198.51.100.0/24', ms: 30 * 60 * 1000 },
    { value: '192.0.2.11/32', duration: '3600', scope: 'ip', stored: '192.0.2.11', ms: HOUR },
    { value: '2001:DB8:0:1::/64', duration: '1h30m', scope: 'range', stored: '2001:db8:0:1::/64', ms: 1.5 * HOUR },
    { value: '2001:db8::10', duration: '7d', scope: 'ip', stored: '2001:db8::10', ms: 7 * 24 * HOUR },
  ])('infers the scope of $value and reads the duration $duration', async ({ value, duration, scope, stored, ms }) => {
    const res = await manual(t, { action: 'block', value, duration }).expect(201);
    expect(res.body.decision).toMatchObject({ scope, value: stored });
    expect(lasts(res.body.decision)).toBe(ms);
  });

  it('makes an allow revoke the active blocks on what it covers, and refuses a block under it', async () => {
    const inside = await manual(t, { action: 'block', value: '203.0.113.7' }).expect(201);
    const narrower = await manual(t, { action: 'block', value: '203.0.113.128/25' }).expect(201);
    const outside = await manual(t, { action: 'block', value: '203.0.114.7' }).expect(201);
    const allow = await manual(t, { action: 'allow', value: '203.0.113.0/24', duration: '30d' }).expect(201);
    expect(allow.body.decision).toMatchObject({ action: 'allow', scope: 'range', value: '203.0.113.0/24' });
    expect(allow.body.revoked.map((d: { id: string }) => d.id).sort()).toEqual(
      [inside.body.decision.id, narrower.body.decision.id].sort(),
    );
    expect(allow.body.revoked[0]).toMatchObject({ revokeReason: 'superseded by manual allow' });

    const blocks = await request(t.server).get('/decisions?action=block&value=203.0.113.7').expect(200);
    expect(blocks.body.total).toBe(0);
    const history = await request(t.server).get('/decisions?action=block&value=203.0.113.7&active=false').expect(200);
    expect(history.body.items).toEqual([
      expect.objectContaining({ id: inside.body.decision.id, revokeReason: 'superseded by manual allow' }),
    ]);
    const audit = await request(t.server).get(`/audit?decisionId=${inside.body.decision.id}`).expect(200);
    expect(audit.body.items[0]).toMatchObject({ change: 'revoked', who: BY, reason: 'superseded by manual allow' });
    const kept = await request(t.server).get('/decisions?value=203.0.114.7').expect(200);
    expect(kept.body.items).toEqual([outside.body.decision]);

    const refused = await manual(t, { action: 'block', value: '203.0.113.99' }).expect(409);
    expect(refused.body.message).toContain(allow.body.decision.id);
  });

  it.each([
    { name: 'no reason', body: { reason: undefined }, message: /reason/ },
    { name: 'a blank reason', body: { reason: '   ' }, message: /reason/ },
    { name: 'a reason over 500 characters', body: { reason: 'x'.repeat(501) }, message: /reason/ },
    { name: 'a reason with control characters', body: { reason: 'a\u0000b' }, message: /reason/ },
    { name: 'no operator', body: { by: undefined }, message: /by/ },
    { name: 'an operator over 64 characters', body: { by: 'x'.repeat(65) }, message: /by/ },
    { name: 'an operator on two lines', body: { by: 'alice\nbob' }, message: /by/ },
    { name: 'an action other than block or allow', body: { action: 'monitor' }, message: /action/ },
    { name: 'no value', body: { value: undefined }, message: /value/ },
    { name: 'an invalid address', body: { value: '999.1.1.1' }, message: /not an IP address/ },
    { name: 'a name, not an address', body: { value: 'example.com' }, message: /not an IP address/ },
    { name: 'a CIDR with host bits', body: { value: '203.0.113.7/24' }, message: /host bits/ },
    { name: 'a range wider than /8', body: { value: '10.0.0.0/7' }, message: /wider than \/8/ },
    { name: 'the whole IPv6 Internet', body: { value: '::/0' }, message: /wider than \/32/ },
    { name: 'a zero duration', body: { duration: '0' }, message: /at least 1 second/ },
    { name: 'over a year', body: { duration: '366d' }, message: /at most 365 days/ },
    { name: 'a fractional duration', body: { duration: '1.5h' }, message: /duration/ },
    { name: 'a duration that is no duration', body: { duration: 'forever' }, message: /duration/ },
    { name: 'no duration', body: { duration: undefined }, message: /duration/ },
  ])('400 for $name', async ({ body, message }) => {
    const res = await request(t.server)
      .post('/decisions')
      .send({ action: 'block', value: '192.0.2.50', duration: '1h', reason: 'r', by: BY, ...body })
      .expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(message);
  });

  it('400 for a body that is not JSON', async () => {
    await request(t.server).post('/decisions').set('Content-Type', 'application/json').send('{"action":').expect(400);
  });
});

describe('DELETE /decisions/:id, approve and reject', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  const change = { reason: 'false positive: the backup job', by: BY };

  it('revokes a decision in force, keeps who and why, and refuses to revoke it twice', async () => {
    await request(t.server).post('/ingest-log/batch').send(sshFailures('192.0.2.20', 5)).expect(202);
    const [block] = (await request(t.server).get('/decisions?action=block&value=192.0.2.20').expect(200)).body.items;
    const res = await request(t.server).delete(`/decisions/${block.id}`).send(change).expect(200);
    expect(res.body).toMatchObject({ id: block.id, revokeReason: change.reason });
    expect(ago(res.body.revokedAt)).toBeLessThan(5000);
    expect((await request(t.server).get('/decisions?value=192.0.2.20&action=block').expect(200)).body.total).toBe(0);
    const audit = await request(t.server).get(`/audit?decisionId=${block.id}`).expect(200);
    expect(audit.body.items.map((e: { change: string; who: string }) => [e.change, e.who])).toEqual([
      ['revoked', BY],
      ['created', 'policy'],
    ]);
    const again = await request(t.server).delete(`/decisions/${block.id}`).send(change).expect(409);
    expect(again.body.message).toMatch(/already revoked/);
  });

  it('revokes a manual allow like any other decision', async () => {
    const allow = await manual(t, { action: 'allow', value: '192.0.2.21' }).expect(201);
    await request(t.server).delete(`/decisions/${allow.body.decision.id}`).send(change).expect(200);
    await manual(t, { action: 'block', value: '192.0.2.21' }).expect(201);
  });

  it('approves a pending decision: in force from now for the duration it was proposed with', async () => {
    const proposed = await storeDecision(t, {
      value: '192.0.2.30',
      status: 'pending',
      origin: 'llm',
      createdBy: 'llm:claude',
      ruleId: 'llm-review',
      createdAgo: HOUR,
      expiresIn: HOUR,
    });
    const pending = await request(t.server).get('/decisions?status=pending&origin=llm').expect(200);
    expect(pending.body.items).toEqual([expect.objectContaining({ id: proposed.id, status: 'pending' })]);
    const res = await request(t.server)
      .post(`/decisions/${proposed.id}/approve`)
      .send({ reason: 'matches the campaign', by: BY })
      .expect(200);
    expect(res.body).toMatchObject({ id: proposed.id, status: 'active' });
    const left = Date.parse(res.body.expiresAt) - Date.now();
    expect(left).toBeGreaterThan(2 * HOUR - 10_000);
    expect(left).toBeLessThanOrEqual(2 * HOUR);
    const inForce = await request(t.server).get('/decisions?value=192.0.2.30').expect(200);
    expect(inForce.body.items).toEqual([expect.objectContaining({ id: proposed.id, status: 'active' })]);
    const audit = await request(t.server).get(`/audit?decisionId=${proposed.id}`).expect(200);
    expect(audit.body.items[0]).toMatchObject({ change: 'approved', who: BY, reason: 'matches the campaign' });
  });

  it('rejects a pending decision, which is then never in force', async () => {
    const proposed = await storeDecision(t, { value: '192.0.2.31', status: 'pending', origin: 'llm' });
    const res = await request(t.server)
      .post(`/decisions/${proposed.id}/reject`)
      .send({ reason: "a partner's NAT", by: BY })
      .expect(200);
    expect(res.body).toMatchObject({ id: proposed.id, status: 'rejected' });
    expect((await request(t.server).get('/decisions?value=192.0.2.31').expect(200)).body.total).toBe(0);
    const rejected = await request(t.server).get('/decisions?status=rejected&value=192.0.2.31').expect(200);
    expect(rejected.body.total).toBe(1);
    const audit = await request(t.server).get(`/audit?decisionId=${proposed.id}&who=${BY}`).expect(200);
    expect(audit.body.items).toEqual([expect.objectContaining({ change: 'rejected', reason: "a partner's NAT" })]);
  });

  it('refuses to approve a pending block on what a manual allow covers', async () => {
    await manual(t, { action: 'allow', value: '192.0.2.0/28' }).expect(201);
    const proposed = await storeDecision(t, { value: '192.0.2.5', status: 'pending', origin: 'llm' });
    const res = await request(t.server).post(`/decisions/${proposed.id}/approve`).send(change).expect(409);
    expect(res.body.message).toMatch(/192\.0\.2\.5 overlaps allow-listed 192\.0\.2\.0\/28 \(manual allow /);
  });

  describe('errors', () => {
    let active: string;
    let pending: string;
    let expired: string;
    let rejected: string;
    let simulated: string;
    beforeAll(async () => {
      active = (await storeDecision(t, { value: '192.0.2.40' })).id;
      pending = (await storeDecision(t, { value: '192.0.2.41', status: 'pending' })).id;
      expired = (await storeDecision(t, { value: '192.0.2.42', createdAgo: 2 * HOUR, expiresIn: -HOUR })).id;
      rejected = (await storeDecision(t, { value: '192.0.2.43', status: 'rejected' })).id;
      simulated = (await storeDecision(t, { value: '192.0.2.44', status: 'simulated' })).id;
    });
    const unknown = '0193a4c2-7f00-7000-8000-00000000beef';

    it.each([
      { name: 'revoke an unknown id', method: 'delete', path: () => `/decisions/${unknown}`, status: 404 },
      { name: 'revoke a malformed id', method: 'delete', path: () => '/decisions/42', status: 400 },
      { name: 'revoke an expired decision', method: 'delete', path: () => `/decisions/${expired}`, status: 409 },
      { name: 'revoke a pending decision', method: 'delete', path: () => `/decisions/${pending}`, status: 409 },
      { name: 'revoke a rejected decision', method: 'delete', path: () => `/decisions/${rejected}`, status: 409 },
      { name: 'revoke a simulated decision', method: 'delete', path: () => `/decisions/${simulated}`, status: 409 },
      { name: 'approve an unknown id', method: 'post', path: () => `/decisions/${unknown}/approve`, status: 404 },
      { name: 'approve a malformed id', method: 'post', path: () => '/decisions/x/approve', status: 400 },
      { name: 'approve an active decision', method: 'post', path: () => `/decisions/${active}/approve`, status: 409 },
      {
        name: 'approve a rejected decision',
        method: 'post',
        path: () => `/decisions/${rejected}/approve`,
        status: 409,
      },
      { name: 'reject an unknown id', method: 'post', path: () => `/decisions/${unknown}/reject`, status: 404 },
      { name: 'reject an active decision', method: 'post', path: () => `/decisions/${active}/reject`, status: 409 },
      {
        name: 'reject a simulated decision',
        method: 'post',
        path: () => `/decisions/${simulated}/reject`,
        status: 409,
      },
    ] as const)('$status: $name', async ({ method, path, status }) => {
      const res = await request(t.server)[method](path()).send(change).expect(status);
      expect(res.body).toMatchObject({ statusCode: status, message: expect.anything() });
    });

    it.each([
      { name: 'no body', body: undefined },
      { name: 'no reason', body: { by: BY } },
      { name: 'no operator', body: { reason: 'r' } },
      { name: 'a blank operator', body: { reason: 'r', by: ' ' } },
      { name: 'a reason over 500 characters', body: { reason: 'r'.repeat(501), by: BY } },
    ])('400 for $name, before looking the decision up', async ({ body }) => {
      await request(t.server).delete(`/decisions/${active}`).send(body).expect(400);
      await request(t.server).post(`/decisions/${pending}/approve`).send(body).expect(400);
      await request(t.server).post(`/decisions/${pending}/reject`).send(body).expect(400);
    });
  });
});

describe('GET /decisions filters', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
    await storeDecision(t, { value: '192.0.2.60' });
    await storeDecision(t, { value: '192.0.2.0/29', ruleId: 'range-escalation' });
    await storeDecision(t, { value: '192.0.2.61', action: 'alert', ruleId: 'auth-failures-repeated' });
    await storeDecision(t, { value: '192.0.2.62', status: 'pending', origin: 'llm' });
    await storeDecision(t, { value: '192.0.2.63', status: 'simulated' });
    await storeDecision(t, { value: '192.0.2.64', createdAgo: 2 * HOUR, expiresIn: -HOUR });
    await storeDecision(t, { value: '2001:db8::60' });
    await manual(t, { action: 'allow', value: '192.0.2.70' }).expect(201);
  });
  afterAll(() => t.close());

  const values = async (query: string): Promise<string[]> =>
    ((await request(t.server).get(`/decisions${query}`).expect(200)).body.items as { value: string }[])
      .map((d) => d.value)
      .sort();

  it.each([
    { query: '', expected: ['192.0.2.0/29', '192.0.2.60', '192.0.2.61', '192.0.2.70', '2001:db8::60'] },
    { query: '?action=block', expected: ['192.0.2.0/29', '192.0.2.60', '2001:db8::60'] },
    { query: '?action=allow', expected: ['192.0.2.70'] },
    { query: '?scope=range', expected: ['192.0.2.0/29'] },
    { query: '?origin=manual', expected: ['192.0.2.70'] },
    { query: '?origin=llm', expected: [] },
    { query: '?status=pending', expected: ['192.0.2.62'] },
    { query: '?status=pending&origin=llm', expected: ['192.0.2.62'] },
    { query: '?status=simulated', expected: ['192.0.2.63'] },
    { query: '?value=192.0.2.60', expected: ['192.0.2.60'] },
    { query: '?value=::ffff:192.0.2.60', expected: ['192.0.2.60'] },
    { query: '?value=192.000.002.060', expected: ['192.0.2.60'] },
    { query: '?value=2001:DB8:0::60', expected: ['2001:db8::60'] },
    { query: '?value=192.0.2.0/29', expected: ['192.0.2.0/29'] },
    { query: '?value=192.0.2.64', expected: [] },
    { query: '?value=192.0.2.64&active=false', expected: ['192.0.2.64'] },
    {
      query: '?active=false&action=block',
      expected: ['192.0.2.0/29', '192.0.2.60', '192.0.2.64', '2001:db8::60'],
    },
    { query: '?active=true&scope=ip&action=alert', expected: ['192.0.2.61'] },
  ])('$query', async ({ query, expected }) => {
    expect(await values(query)).toEqual(expected);
  });

  it('keeps the {total, items} shape and pages', async () => {
    const page = await request(t.server).get('/decisions?action=block&limit=2&offset=2').expect(200);
    expect(page.body).toMatchObject({ total: 3, items: [expect.any(Object)] });
  });

  it.each([
    '?active=yes',
    '?status=gone',
    '?scope=host',
    '?origin=crowdsec',
    '?action=ban',
    '?value=999.1.1.1',
    '?value=192.0.2.1/24',
    `?value=${'1'.repeat(80)}`,
  ])('400 for %s', async (query) => {
    await request(t.server).get(`/decisions${query}`).expect(400);
  });
});

describe('POST /actors/:ip/feedback', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
    await request(t.server).post('/ingest-log/batch').send(sshFailures('198.51.100.7', 5)).expect(202);
    await request(t.server).post('/ingest-log/batch').send(sshFailures('198.51.100.8', 5)).expect(202);
  });
  afterAll(() => t.close());

  it('a false positive revokes what is in force on the actor, with the note as the reason', async () => {
    const before = await request(t.server).get('/decisions?value=198.51.100.7').expect(200);
    expect(before.body.total).toBeGreaterThan(0);
    const res = await request(t.server)
      .post('/actors/::ffff:198.51.100.7/feedback')
      .send({ verdict: 'false_positive', note: 'our vulnerability scanner', by: BY })
      .expect(201);
    expect(res.body).toMatchObject({ actor: '198.51.100.7', verdict: 'false_positive', by: BY });
    expect(res.body.revokedDecisionIds.sort()).toEqual(before.body.items.map((d: { id: string }) => d.id).sort());
    expect((await request(t.server).get('/decisions?value=198.51.100.7').expect(200)).body.total).toBe(0);
    const audit = await request(t.server).get('/audit?value=198.51.100.7&who=alice').expect(200);
    expect(audit.body.items).toEqual(
      before.body.items.map(() => expect.objectContaining({ change: 'revoked', reason: 'our vulnerability scanner' })),
    );
  });

  it('a true positive is stored and revokes nothing', async () => {
    const res = await request(t.server)
      .post('/actors/198.51.100.8/feedback')
      .send({ verdict: 'true_positive', note: 'matches the VPN brute force', by: 'bob' })
      .expect(201);
    expect(res.body).toMatchObject({ verdict: 'true_positive', revokedDecisionIds: [] });
    expect((await request(t.server).get('/decisions?value=198.51.100.8&action=block').expect(200)).body.total).toBe(1);
  });

  it.each([
    { name: 'an address never seen', path: '/actors/198.51.100.99/feedback', body: {}, status: 404 },
    { name: 'not an address', path: '/actors/nope/feedback', body: {}, status: 400 },
    { name: 'an unknown verdict', path: '/actors/198.51.100.8/feedback', body: { verdict: 'maybe' }, status: 400 },
    { name: 'no note', path: '/actors/198.51.100.8/feedback', body: { note: undefined }, status: 400 },
    {
      name: 'a note over 500 characters',
      path: '/actors/198.51.100.8/feedback',
      body: { note: 'n'.repeat(501) },
      status: 400,
    },
    { name: 'no operator', path: '/actors/198.51.100.8/feedback', body: { by: undefined }, status: 400 },
  ])('$status for $name', async ({ path, body, status }) => {
    await request(t.server)
      .post(path)
      .send({ verdict: 'false_positive', note: 'n', by: BY, ...body })
      .expect(status);
  });
});

describe('GET /audit', () => {
  let t: TestApp;
  let first: string;
  beforeAll(async () => {
    t = await startApp();
    first = (await manual(t, { action: 'block', value: '192.0.2.80' }).expect(201)).body.decision.id;
    await request(t.server).delete(`/decisions/${first}`).send({ reason: 'done', by: 'bob' }).expect(200);
    await manual(t, { action: 'block', value: '192.0.2.81' }).expect(201);
  });
  afterAll(() => t.close());

  const changes = async (query: string): Promise<string[]> =>
    ((await request(t.server).get(`/audit${query}`).expect(200)).body.items as { change: string; who: string }[]).map(
      (e) => `${e.change}:${e.who}`,
    );

  it('lists every change, newest first, with what it is about', async () => {
    const res = await request(t.server).get('/audit').expect(200);
    expect(res.body.total).toBe(3);
    expect(res.body.items[0]).toMatchObject({
      change: 'created',
      who: BY,
      reason: 'test',
      decision: {
        value: '192.0.2.81',
        action: 'block',
        origin: 'manual',
        scope: 'ip',
        status: 'active',
        ruleId: 'manual',
      },
    });
  });

  it.each([
    { query: () => `?decisionId=${first}`, expected: ['revoked:bob', 'created:alice'] },
    { query: () => '?value=192.0.2.81', expected: ['created:alice'] },
    { query: () => '?value=::ffff:192.0.2.80', expected: ['revoked:bob', 'created:alice'] },
    { query: () => '?who=bob', expected: ['revoked:bob'] },
    { query: () => '?who=nobody', expected: [] },
    { query: () => '?since=2000-01-01T00:00:00Z', expected: ['created:alice', 'revoked:bob', 'created:alice'] },
    { query: () => `?until=2000-01-01T00:00:00Z`, expected: [] },
    { query: () => `?since=${new Date(Date.now() + HOUR).toISOString()}`, expected: [] },
    { query: () => '?limit=1&offset=1', expected: ['revoked:bob'] },
  ])('filters $query', async ({ query, expected }) => {
    expect(await changes(query())).toEqual(expected);
  });

  it.each([
    '?decisionId=42',
    '?value=nope',
    '?since=yesterday',
    '?until=2026-13-01',
    '?limit=0',
    '?limit=1001',
    '?offset=-1',
  ])('400 for %s', async (query) => {
    await request(t.server).get(`/audit${query}`).expect(400);
  });
});

describe('GET /decisions/blocklist', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
    await storeDecision(t, { value: '203.0.113.7' });
    await storeDecision(t, { value: '203.0.113.7', expiresIn: 2 * HOUR });
    await storeDecision(t, { value: '198.51.100.0/24' });
    await storeDecision(t, { value: '2001:db8::7' });
    await storeDecision(t, { value: '192.0.2.1', action: 'alert' });
    await storeDecision(t, { value: '192.0.2.2', action: 'monitor' });
    await storeDecision(t, { value: '192.0.2.3', status: 'pending' });
    await storeDecision(t, { value: '192.0.2.4', status: 'simulated' });
    await storeDecision(t, { value: '192.0.2.5', createdAgo: 2 * HOUR, expiresIn: -HOUR });
    await storeDecision(t, { value: '192.0.2.6', revokedAt: new Date(Date.now() - 1000), revokeReason: 'x' });
    await storeDecision(t, { value: '192.0.2.7' });
    await storeDecision(t, { value: '192.0.2.8/29' });
    await manual(t, { action: 'allow', value: '192.0.2.0/28' }).expect(201);
    // A ban that got under an allow by another path (e.g. written before the allow by another writer) stays unpublished.
    await storeDecision(t, { value: '192.0.2.9' });
  });
  afterAll(() => t.close());

  it.each([
    { query: '', body: '198.51.100.0/24\n203.0.113.7\n2001:db8::7\n' },
    { query: '?format=plain', body: '198.51.100.0/24\n203.0.113.7\n2001:db8::7\n' },
    { query: '?format=nginx', body: 'deny 198.51.100.0/24;\ndeny 203.0.113.7;\ndeny 2001:db8::7;\n' },
    {
      query: '?format=ipset',
      body: 'add soc-triage 198.51.100.0/24\nadd soc-triage 203.0.113.7\nadd soc-triage6 2001:db8::7\n',
    },
    {
      query: '?format=ipset&set=edge_block',
      body: 'add edge_block 198.51.100.0/24\nadd edge_block 203.0.113.7\nadd edge_block6 2001:db8::7\n',
    },
  ])('$query: active bans only, once each, none under an allow', async ({ query, body }) => {
    const res = await request(t.server).get(`/decisions/blocklist${query}`).expect(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.text).toBe(body);
  });

  it.each(['?format=iptables', '?format=', '?format=ipset&set=a%20b', `?format=ipset&set=${'s'.repeat(31)}`])(
    '400 for %s',
    async (query) => {
      const res = await request(t.server).get(`/decisions/blocklist${query}`).expect(400);
      expect(res.headers['content-type']).toMatch(/application\/json/);
    },
  );
});

describe('management routes need the admin token', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ SOC_ADMIN_TOKEN: ADMIN_TOKEN });
  });
  afterAll(() => t.close());

  const id = '0193a4c2-7f00-7000-8000-00000000beef';
  it.each([
    { method: 'post', path: '/decisions' },
    { method: 'delete', path: `/decisions/${id}` },
    { method: 'post', path: `/decisions/${id}/approve` },
    { method: 'post', path: `/decisions/${id}/reject` },
    { method: 'post', path: '/actors/192.0.2.1/feedback' },
    { method: 'get', path: '/audit' },
    { method: 'get', path: '/decisions/blocklist' },
    { method: 'get', path: '/decisions?status=pending' },
  ] as const)('$method $path: 401 without it, through with it', async ({ method, path }) => {
    await request(t.server)[method](path).send({}).expect(401);
    const res = await request(t.server)[method](path).set('Authorization', `Bearer ${ADMIN_TOKEN}`).send({});
    expect(res.status).not.toBe(401);
  });
});

describe('OpenAPI for the management and bouncer routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it.each([
    ['get', '/decisions'],
    ['post', '/decisions'],
    ['delete', '/decisions/{id}'],
    ['post', '/decisions/{id}/approve'],
    ['post', '/decisions/{id}/reject'],
    ['get', '/decisions/blocklist'],
    ['post', '/actors/{ip}/feedback'],
    ['get', '/audit'],
    ['get', '/v1/decisions'],
    ['head', '/v1/decisions'],
    ['get', '/v1/decisions/stream'],
    ['head', '/v1/decisions/stream'],
  ])('documents %s %s with a summary and a worked example', async (method, path) => {
    const doc = (await request(t.server).get('/docs-json').expect(200)).body;
    const op = doc.paths[path]?.[method];
    expect(op).toBeDefined();
    expect(op.summary).toEqual(expect.any(String));
    expect(op.description).toMatch(/Example/);
    if (op.requestBody !== undefined) {
      expect(Object.keys(op.requestBody.content['application/json'].examples ?? {})).not.toHaveLength(0);
    }
  });
});
