import request from 'supertest';
import { validateEnvironment } from '../src/config/environment';
import { BY, HOUR, manual, storeDecision } from './decision-fixtures';
import { ADMIN_TOKEN, sshFailures, startApp, tempDatabase, TestApp } from './harness';

const KEY_A = 'bouncer-key-a-0123456789';
const KEY_B = 'bouncer-key-b-0123456789';
const KEYS = `${KEY_A},${KEY_B}`;
const FORBIDDEN = '{"message":"access forbidden"}';
/** Go's time.Duration text, as go-cs-bouncer parses it. */
const GO_DURATION = /^-?(\d+h)?(\d+m)?\d+(\.\d+)?s$|^-?\d+ms$/;

interface Lapi {
  id: number;
  value: string;
  scope: string;
  origin: string;
  scenario: string;
  duration: string;
  type: string;
  until: string;
  uuid: string;
}
interface Stream {
  new: Lapi[] | null;
  deleted: Lapi[] | null;
}

const pull = async (t: TestApp, key: string, query = ''): Promise<Stream> =>
  (await request(t.server).get(`/v1/decisions/stream${query}`).set('X-Api-Key', key).expect(200)).body as Stream;
const values = (list: Lapi[] | null): string[] | null => (list === null ? null : list.map((d) => d.value));

describe('CrowdSec LAPI: credentials', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ BOUNCER_API_KEYS: KEYS, SOC_ADMIN_TOKEN: ADMIN_TOKEN });
  });
  afterAll(() => t.close());

  it.each([
    { name: 'no key', headers: {} },
    { name: 'a wrong key', headers: { 'X-Api-Key': 'bouncer-key-c-0123456789' } },
    { name: 'a prefix of a key', headers: { 'X-Api-Key': KEY_A.slice(0, 10) } },
    { name: 'the key as a bearer token', headers: { Authorization: `Bearer ${KEY_A}` } },
    { name: 'the admin token', headers: { 'X-Api-Key': ADMIN_TOKEN } },
  ])('403 {"message":"access forbidden"} with $name', async ({ headers }) => {
    for (const path of ['/v1/decisions', '/v1/decisions/stream', '/v1/decisions/stream?startup=true']) {
      const res = await request(t.server).get(path).set(headers).expect(403);
      expect(res.text).toBe(FORBIDDEN);
    }
    await request(t.server).head('/v1/decisions').set(headers).expect(403);
    await request(t.server).head('/v1/decisions/stream').set(headers).expect(403);
  });

  it.each([KEY_A, KEY_B])('lets either key in', async (key) => {
    await request(t.server).get('/v1/decisions').set('X-Api-Key', key).expect(200);
  });

  it('does not take a bouncer key for the admin routes', async () => {
    await request(t.server).get('/decisions').set('X-Api-Key', KEY_A).expect(401);
  });
});

describe('CrowdSec LAPI: closed without BOUNCER_API_KEYS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp();
  });
  afterAll(() => t.close());

  it('answers 403 to every key', async () => {
    const res = await request(t.server).get('/v1/decisions/stream').set('X-Api-Key', KEY_A).expect(403);
    expect(res.text).toBe(FORBIDDEN);
  });

  it('refuses a short key at start-up without printing it', () => {
    expect(() => validateEnvironment({ BOUNCER_API_KEYS: `${KEY_A},tooshort-key` })).toThrow(
      'BOUNCER_API_KEYS: key 2 of 2 must be at least 16 characters',
    );
    expect(() => validateEnvironment({ BOUNCER_API_KEYS: `${KEY_A},tooshort-key` })).not.toThrow(/tooshort/);
  });
});

describe('CrowdSec LAPI: decisions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ BOUNCER_API_KEYS: KEYS });
  });
  afterAll(() => t.close());

  it('answers null when nothing is banned, and {"deleted":null,"new":null} on a stream', async () => {
    const res = await request(t.server).get('/v1/decisions').set('X-Api-Key', KEY_A).expect(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.text).toBe('null');
    const stream = await request(t.server).get('/v1/decisions/stream?startup=true').set('X-Api-Key', KEY_A);
    expect(stream.text).toBe('{"deleted":null,"new":null}');
  });

  it("serves a ban in CrowdSec's decision model", async () => {
    await request(t.server).post('/ingest-log/batch').send(sshFailures('203.0.113.7', 5)).expect(202);
    const [policyBan] = (await request(t.server).get('/decisions?action=block').expect(200)).body.items;
    const res = await request(t.server).get('/v1/decisions?ip=203.0.113.7').set('X-Api-Key', KEY_A).expect(200);
    expect(res.body).toHaveLength(1);
    const [ban] = res.body as Lapi[];
    expect(Object.keys(ban)).toEqual([
      'duration',
      'id',
      'origin',
      'scenario',
      'scope',
      'type',
      'until',
      'uuid',
      'value',
    ]);
    expect(ban).toMatchObject({
      origin: 'soc-triage',
      scenario: 'soc-triage/ssh-brute-force',
      scope: 'Ip',
      type: 'ban',
      value: '203.0.113.7',
      uuid: policyBan.id,
      until: policyBan.expiresAt.replace(/\.\d{3}Z$/, 'Z'),
    });
    expect(Number.isSafeInteger(ban.id) && ban.id > 0).toBe(true);
    expect(ban.duration).toMatch(GO_DURATION);
    expect(ban.duration).toMatch(/^(10m0s|9m5\ds)$/);
    const again = (await request(t.server).get('/v1/decisions').set('X-Api-Key', KEY_B).expect(200)).body as Lapi[];
    expect(again.map((d) => d.id)).toEqual([ban.id]);
  });

  it('publishes bans only: never an alert, a monitor, an allow, a pending or a simulated decision', async () => {
    await request(t.server).post('/ingest-log/batch').send(sshFailures('203.0.113.8', 3)).expect(202);
    await manual(t, { action: 'allow', value: '192.0.2.99' }).expect(201);
    await storeDecision(t, { value: '192.0.2.97', status: 'pending', origin: 'llm' });
    await storeDecision(t, { value: '192.0.2.98', status: 'simulated' });
    const all = (await request(t.server).get('/v1/decisions').set('X-Api-Key', KEY_A).expect(200)).body as Lapi[];
    expect(all.map((d) => d.value)).toEqual(['203.0.113.7']);
  });
});

describe('CrowdSec LAPI: GET /v1/decisions filters', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ BOUNCER_API_KEYS: KEYS });
    await storeDecision(t, { value: '203.0.113.7', ruleId: 'ssh-brute-force' });
    await storeDecision(t, { value: '203.0.113.7', ruleId: 'web-attack-high', expiresIn: 2 * HOUR });
    await storeDecision(t, { value: '198.51.100.0/24', origin: 'manual', ruleId: 'manual', createdBy: BY });
    await storeDecision(t, { value: '2001:db8::7', origin: 'llm', ruleId: 'llm-review' });
  });
  afterAll(() => t.close());

  const get = async (query: string): Promise<string[] | null> => {
    const res = await request(t.server).get(`/v1/decisions${query}`).set('X-Api-Key', KEY_A).expect(200);
    return res.body === null ? null : (res.body as Lapi[]).map((d) => `${d.value} ${d.scenario}`);
  };

  it.each([
    {
      query: '',
      expected: [
        '203.0.113.7 soc-triage/ssh-brute-force',
        '203.0.113.7 soc-triage/web-attack-high',
        '198.51.100.0/24 soc-triage/manual',
        '2001:db8::7 soc-triage/llm-review',
      ],
    },
    {
      query: '?ip=203.0.113.7',
      expected: ['203.0.113.7 soc-triage/ssh-brute-force', '203.0.113.7 soc-triage/web-attack-high'],
    },
    { query: '?ip=::ffff:198.51.100.20', expected: ['198.51.100.0/24 soc-triage/manual'] },
    { query: '?ip=192.0.2.1', expected: null },
    { query: '?range=198.51.100.0/25', expected: ['198.51.100.0/24 soc-triage/manual'] },
    { query: '?range=198.51.0.0/16', expected: null },
    { query: '?range=198.51.0.0/16&contains=false', expected: ['198.51.100.0/24 soc-triage/manual'] },
    { query: '?range=2001:db8::/32&contains=false', expected: ['2001:db8::7 soc-triage/llm-review'] },
    { query: '?scope=range', expected: ['198.51.100.0/24 soc-triage/manual'] },
    { query: '?scope=Ip&value=2001:DB8::7', expected: ['2001:db8::7 soc-triage/llm-review'] },
    { query: '?value=198.51.100.0/24', expected: ['198.51.100.0/24 soc-triage/manual'] },
    { query: '?type=ban&scope=range', expected: ['198.51.100.0/24 soc-triage/manual'] },
    { query: '?type=captcha', expected: null },
    { query: '?origins=cscli', expected: ['198.51.100.0/24 soc-triage/manual'] },
    {
      query: '?origins=soc-triage-llm,cscli',
      expected: ['198.51.100.0/24 soc-triage/manual', '2001:db8::7 soc-triage/llm-review'],
    },
    {
      query: '?scenarios_containing=WEB,llm',
      expected: ['203.0.113.7 soc-triage/web-attack-high', '2001:db8::7 soc-triage/llm-review'],
    },
    {
      query: '?scenarios_not_containing=ssh,web',
      expected: ['198.51.100.0/24 soc-triage/manual', '2001:db8::7 soc-triage/llm-review'],
    },
    { query: '?unknown=1', expected: expect.any(Array) },
  ])('$query', async ({ query, expected }) => {
    expect(await get(query)).toEqual(expected);
  });

  it.each(['?ip=not-an-ip', '?range=10.0.0.0/33', '?ip=203.0.113.7&contains=perhaps'])(
    '400 {"message": …} for %s',
    async (query) => {
      const res = await request(t.server).get(`/v1/decisions${query}`).set('X-Api-Key', KEY_A).expect(400);
      expect(Object.keys(res.body)).toEqual(['message']);
    },
  );

  it('answers HEAD with 200 and no body', async () => {
    const res = await request(t.server).head('/v1/decisions?ip=203.0.113.7').set('X-Api-Key', KEY_A).expect(200);
    expect(res.text ?? '').toBe('');
  });
});

describe('CrowdSec LAPI: stream', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ BOUNCER_API_KEYS: KEYS });
  });
  afterAll(() => t.close());

  it('startup lists every ban, then each pull only what changed, per key', async () => {
    const first = await storeDecision(t, { value: '203.0.113.1' });
    await storeDecision(t, { value: '203.0.113.2', action: 'alert' });
    const startup = await pull(t, KEY_A, '?startup=true');
    expect(values(startup.new)).toEqual(['203.0.113.1']);
    expect(startup.deleted).toBeNull();
    expect(await pull(t, KEY_A)).toEqual({ deleted: null, new: null });

    const second = await storeDecision(t, { value: '203.0.113.3' });
    const delta = await pull(t, KEY_A);
    expect(values(delta.new)).toEqual(['203.0.113.3']);
    expect(delta.deleted).toBeNull();
    expect(delta.new?.[0].id).toBeGreaterThan(startup.new?.[0].id ?? Infinity);

    await request(t.server).delete(`/decisions/${first.id}`).send({ reason: 'r', by: BY }).expect(200);
    const removal = await pull(t, KEY_A);
    expect(removal.new).toBeNull();
    expect(removal.deleted).toEqual([
      expect.objectContaining({ value: '203.0.113.1', id: startup.new?.[0].id, scope: 'Ip', type: 'ban' }),
    ]);
    expect(removal.deleted?.[0].duration).toMatch(/^(-\d+m?)?\d*s$|^0s$/);
    expect(await pull(t, KEY_A)).toEqual({ deleted: null, new: null });

    // Key B has its own cursor: its first pull, even without startup, is the full picture.
    const firstOfB = await pull(t, KEY_B);
    expect(values(firstOfB.new)).toEqual(['203.0.113.3']);
    expect(values(firstOfB.deleted)).toEqual(['203.0.113.1']);
    expect(await pull(t, KEY_B)).toEqual({ deleted: null, new: null });

    await request(t.server).delete(`/decisions/${second.id}`).send({ reason: 'r', by: BY }).expect(200);
    expect(values((await pull(t, KEY_B)).deleted)).toEqual(['203.0.113.3']);
    expect(values((await pull(t, KEY_A)).deleted)).toEqual(['203.0.113.3']);

    // startup=true starts again from the full picture, whatever the cursor.
    const restart = await pull(t, KEY_A, '?startup=true');
    expect(restart.new).toBeNull();
    expect(values(restart.deleted)?.sort()).toEqual(['203.0.113.1', '203.0.113.3']);
  });

  it('does not move the cursor on HEAD', async () => {
    await pull(t, KEY_A, '?startup=true');
    await storeDecision(t, { value: '203.0.113.20' });
    const head = await request(t.server).head('/v1/decisions/stream').set('X-Api-Key', KEY_A).expect(200);
    expect(head.text ?? '').toBe('');
    expect(values((await pull(t, KEY_A)).new)).toEqual(['203.0.113.20']);
  });

  it('gives an approved decision as new, with an id it keeps', async () => {
    await pull(t, KEY_A, '?startup=true');
    const proposed = await storeDecision(t, { value: '203.0.113.30', status: 'pending', origin: 'llm' });
    expect(await pull(t, KEY_A)).toEqual({ deleted: null, new: null });
    await request(t.server).post(`/decisions/${proposed.id}/approve`).send({ reason: 'r', by: BY }).expect(200);
    const approved = await pull(t, KEY_A);
    expect(approved.new).toEqual([expect.objectContaining({ value: '203.0.113.30', origin: 'soc-triage-llm' })]);
    const live = (await request(t.server).get('/v1/decisions?ip=203.0.113.30').set('X-Api-Key', KEY_A)).body as Lapi[];
    expect(live[0].id).toBe(approved.new?.[0].id);
  });

  it('withdraws a ban when a manual allow covers it, and never publishes one under an allow', async () => {
    await storeDecision(t, { value: '203.0.113.40' });
    await pull(t, KEY_A, '?startup=true');
    await manual(t, { action: 'allow', value: '203.0.113.40' }).expect(201);
    expect(values((await pull(t, KEY_A)).deleted)).toEqual(['203.0.113.40']);

    await manual(t, { action: 'allow', value: '198.51.100.0/24' }).expect(201);
    await storeDecision(t, { value: '198.51.100.9' });
    await storeDecision(t, { value: '198.51.100.128/25' });
    expect(await pull(t, KEY_A)).toEqual({ deleted: null, new: null });
    const startup = await pull(t, KEY_A, '?startup=true');
    expect(values(startup.new)).not.toEqual(expect.arrayContaining(['198.51.100.9']));
    expect(values(startup.new)).not.toEqual(expect.arrayContaining(['198.51.100.128/25']));
    const live = await request(t.server)
      .get('/v1/decisions?range=198.51.100.0/24&contains=false')
      .set('X-Api-Key', KEY_A);
    expect(live.text).toBe('null');
  });

  it('takes back a ban that expires, once', async () => {
    await pull(t, KEY_A, '?startup=true');
    await storeDecision(t, { value: '203.0.113.50', expiresIn: 300 });
    expect(values((await pull(t, KEY_A)).new)).toEqual(['203.0.113.50']);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const expired = await pull(t, KEY_A);
    expect(values(expired.deleted)).toEqual(['203.0.113.50']);
    expect(expired.deleted?.[0].duration).toMatch(/^-?\d+m?s$|^-\d+s$|^0s$/);
    expect(await pull(t, KEY_A)).toEqual({ deleted: null, new: null });
  });

  it('never publishes a ban on an address a manual allow covers, whatever the policy makes of its events', async () => {
    await pull(t, KEY_A, '?startup=true');
    await manual(t, { action: 'allow', value: '192.0.2.128/25' }).expect(201);
    await request(t.server).post('/ingest-log/batch').send(sshFailures('192.0.2.200', 6)).expect(202);
    expect(await pull(t, KEY_A)).toEqual({ deleted: null, new: null });
    const live = await request(t.server).get('/v1/decisions?ip=192.0.2.200').set('X-Api-Key', KEY_A).expect(200);
    expect(live.text).toBe('null');
    const blocklist = await request(t.server).get('/decisions/blocklist').expect(200);
    expect(blocklist.text).not.toContain('192.0.2.200');
  });

  it.each([
    { query: '&scopes=range', expected: ['192.0.2.0/24'] },
    { query: '&scopes=IP', expected: ['192.0.2.50'] },
    { query: '&scopes=Ip,Range', expected: ['192.0.2.50', '192.0.2.0/24'] },
    { query: '&origins=cscli', expected: ['192.0.2.0/24'] },
    { query: '&scenarios_containing=ssh', expected: ['192.0.2.50'] },
    { query: '&scenarios_not_containing=SSH', expected: ['192.0.2.0/24'] },
  ])('filters the stream: $query', async ({ query, expected }) => {
    const t2 = await startApp({ BOUNCER_API_KEYS: KEYS });
    try {
      await storeDecision(t2, { value: '192.0.2.50', ruleId: 'ssh-brute-force' });
      await storeDecision(t2, { value: '192.0.2.0/24', origin: 'manual', ruleId: 'manual' });
      expect(values((await pull(t2, KEY_A, `?startup=true${query}`)).new)).toEqual(expected);
    } finally {
      await t2.close();
    }
  });

  it('answers 400 {"message": …} to a bad filter and leaves the cursor alone', async () => {
    await pull(t, KEY_B, '?startup=true');
    await storeDecision(t, { value: '203.0.113.60' });
    const res = await request(t.server).get('/v1/decisions/stream?ip=nope').set('X-Api-Key', KEY_B).expect(400);
    expect(Object.keys(res.body)).toEqual(['message']);
    expect(values((await pull(t, KEY_B)).new)).toEqual(['203.0.113.60']);
  });
});

describe('CrowdSec LAPI: a restart keeps each key where it was', () => {
  const database = tempDatabase();
  afterAll(() => database.remove());

  it('resumes deltas from the stored cursor, with the same ids', async () => {
    const first = await startApp({ BOUNCER_API_KEYS: KEYS }, database.path);
    let firstId: number;
    try {
      await storeDecision(first, { value: '203.0.113.70' });
      const startup = await pull(first, KEY_A, '?startup=true');
      firstId = startup.new?.[0].id ?? 0;
      await storeDecision(first, { value: '203.0.113.71' });
    } finally {
      await first.close();
    }
    const second = await startApp({ BOUNCER_API_KEYS: KEYS }, database.path);
    try {
      const delta = await pull(second, KEY_A);
      expect(values(delta.new)).toEqual(['203.0.113.71']);
      expect(delta.deleted).toBeNull();
      const fresh = await pull(second, KEY_B);
      expect(values(fresh.new)).toEqual(['203.0.113.70', '203.0.113.71']);
      expect(fresh.new?.[0].id).toBe(firstId);
    } finally {
      await second.close();
    }
  });
});
