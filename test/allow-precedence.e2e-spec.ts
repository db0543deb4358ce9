import request from 'supertest';
import { BY, manual, storeDecision } from './decision-fixtures';
import { sshFailures, startApp, TestApp } from './harness';

const KEY = 'bouncer-key-precedence-0123456789';

interface Lapi {
  value: string;
  scope: string;
}
interface Stream {
  new: Lapi[] | null;
  deleted: Lapi[] | null;
}
interface View {
  id: string;
  value: string;
  action: string;
  scope: string;
  ruleId: string;
  reason: string;
  expiresAt: string;
  revokedAt: string | null;
}

const pull = async (t: TestApp, query = ''): Promise<Stream> =>
  (await request(t.server).get(`/v1/decisions/stream${query}`).set('X-Api-Key', KEY).expect(200)).body as Stream;
const values = (list: Lapi[] | null): string[] => (list ?? []).map((d) => d.value).sort();
const blocklist = async (t: TestApp, format = 'plain'): Promise<string> =>
  (await request(t.server).get(`/decisions/blocklist?format=${format}`).expect(200)).text;
const forced = (t: TestApp, value: string, extra: Record<string, unknown> = {}): request.Test =>
  request(t.server)
    .post('/decisions')
    .send({ action: 'block', value, duration: '4h', reason: 'confirmed C2 despite the list', by: BY, ...extra });

/** The 8 networks that tile 203.0.113.0/24 less 203.0.113.7. */
const SLASH24_LESS_7 = [
  '203.0.113.0/30',
  '203.0.113.4/31',
  '203.0.113.6',
  '203.0.113.8/29',
  '203.0.113.16/28',
  '203.0.113.32/27',
  '203.0.113.64/26',
  '203.0.113.128/25',
];

describe('allow-list precedence over manual blocks', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ ALLOWLIST_CIDRS: '198.51.100.7/32, 192.0.2.0/28', BOUNCER_API_KEYS: KEY });
  });
  afterAll(() => t.close());

  it.each([
    {
      name: 'a range holding an allow-listed address',
      value: '198.51.100.0/24',
      named: '198.51.100.7/32 (ALLOWLIST_CIDRS)',
    },
    { name: 'an address inside an allow-listed range', value: '192.0.2.5', named: '192.0.2.0/28 (ALLOWLIST_CIDRS)' },
    {
      name: 'the allow-listed address itself',
      value: '::ffff:198.51.100.7',
      named: '198.51.100.7/32 (ALLOWLIST_CIDRS)',
    },
  ])('409 for $name, naming the allow-listed network', async ({ value, named }) => {
    const res = await forced(t, value).expect(409);
    expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
    expect(res.body.message).toContain(named);
    expect(res.body.message).toMatch(/force: true/);
    expect(await blocklist(t)).toBe('');
  });

  it.each([
    { name: 'a string', force: 'true' },
    { name: 'a number', force: 1 },
  ])('400 for force as $name', async ({ force }) => {
    const res = await forced(t, '198.51.100.7', { force }).expect(400);
    expect(JSON.stringify(res.body.message)).toMatch(/force/);
  });

  it('force: true blocks anyway, says what it overrode, audits it, and publishes it', async () => {
    const before = await pull(t, '?startup=true');
    expect(values(before.new)).not.toContain('198.51.100.0/24');
    const res = await forced(t, '198.51.100.0/24', { force: true }).expect(201);
    expect(res.body.decision).toMatchObject({ action: 'block', value: '198.51.100.0/24', scope: 'range' });
    expect(res.body.forcedOver).toEqual(['198.51.100.7/32 (ALLOWLIST_CIDRS)']);
    const audit = await request(t.server).get(`/audit?decisionId=${res.body.decision.id}`).expect(200);
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        change: 'created',
        who: BY,
        reason: 'confirmed C2 despite the list (forced over allow-listed 198.51.100.7/32 (ALLOWLIST_CIDRS))',
      }),
    ]);
    expect(await blocklist(t)).toContain('198.51.100.0/24\n');
    expect(values((await pull(t)).new)).toEqual(['198.51.100.0/24']);
  });
});

describe('a manual allow splits the blocks that hold it, and bouncers follow', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ BOUNCER_API_KEYS: KEY });
  });
  afterAll(() => t.close());

  it('a /32 allow inside a /24 block: the /24 is deleted and the 8 networks around the /32 are new', async () => {
    const block = (await manual(t, { action: 'block', value: '203.0.113.0/24', duration: '6h' }).expect(201)).body
      .decision as View;
    expect(values((await pull(t, '?startup=true')).new)).toEqual(['203.0.113.0/24']);

    const res = await manual(t, { action: 'allow', value: '203.0.113.7', duration: '1h' }).expect(201);
    expect(res.body.revoked).toEqual([
      expect.objectContaining({ id: block.id, revokeReason: 'superseded by manual allow' }),
    ]);
    const pieces = res.body.created as View[];
    expect(pieces.map((p) => p.value)).toEqual(SLASH24_LESS_7);
    for (const piece of pieces) {
      // Same rule, reason and expiry as the block they replace.
      expect(piece).toMatchObject({ action: 'block', ruleId: 'manual', reason: 'test', expiresAt: block.expiresAt });
    }
    expect(pieces.find((p) => p.value === '203.0.113.6')?.scope).toBe('ip');
    const audit = await request(t.server).get(`/audit?decisionId=${pieces[0].id}`).expect(200);
    expect(audit.body.items[0].reason).toBe(`split from ${block.id}: superseded by manual allow`);

    const stream = await pull(t);
    expect(values(stream.deleted)).toEqual(['203.0.113.0/24']);
    expect(values(stream.new)).toEqual([...SLASH24_LESS_7].sort());
    const text = await blocklist(t);
    expect(text.trim().split('\n')).toEqual(SLASH24_LESS_7);
    expect(await blocklist(t, 'nginx')).toContain('deny 203.0.113.6;\n');
    expect(await blocklist(t, 'ipset')).toContain('add soc-triage 203.0.113.8/29\n');

    const live = async (ip: string): Promise<Lapi[] | null> =>
      (await request(t.server).get(`/v1/decisions?ip=${ip}`).set('X-Api-Key', KEY).expect(200)).body;
    expect(await live('203.0.113.7')).toBeNull();
    expect(await live('203.0.113.9')).toEqual([expect.objectContaining({ value: '203.0.113.8/29', scope: 'Range' })]);
    expect(await pull(t)).toEqual({ new: null, deleted: null });
  });

  it('splits policy blocks too, and a later block on the allowed address is refused', async () => {
    const policy = await storeDecision(t, { value: '2001:db8:5:5::/64', ruleId: 'ssh-brute-force' });
    const res = await manual(t, { action: 'allow', value: '2001:db8:5:5::1', duration: '1h' }).expect(201);
    expect(res.body.revoked.map((d: View) => d.id)).toEqual([policy.id]);
    expect(res.body.created).toHaveLength(64);
    expect(res.body.created[0]).toMatchObject({ value: '2001:db8:5:5::', ruleId: 'ssh-brute-force' });
    const stream = await pull(t);
    expect(values(stream.deleted)).toEqual(['2001:db8:5:5::/64']);
    expect(stream.new).toHaveLength(64);
    const refused = await manual(t, { action: 'block', value: '2001:db8:5:5::/64' }).expect(409);
    expect(refused.body.message).toContain(`2001:db8:5:5::1 (manual allow ${res.body.decision.id}`);
  });

  it('a forced block cuts back the manual allow it overlaps, and the block is published', async () => {
    const allow = (await manual(t, { action: 'allow', value: '192.0.2.0/24', duration: '1h' }).expect(201)).body
      .decision as View;
    await manual(t, { action: 'block', value: '192.0.2.66' }).expect(409);
    const res = await forced(t, '192.0.2.66', { force: true }).expect(201);
    expect(res.body.forcedOver).toEqual([expect.stringContaining(`192.0.2.0/24 (manual allow ${allow.id}`)]);
    expect(res.body.revoked.map((d: View) => d.id)).toEqual([allow.id]);
    expect(res.body.created.map((d: View) => d.value)).not.toContain('192.0.2.66');
    expect(res.body.created.every((d: View) => d.action === 'allow')).toBe(true);
    expect(await blocklist(t)).toContain('192.0.2.66\n');
    expect(values((await pull(t)).new)).toEqual(['192.0.2.66']);
    // The rest of the /24 is still allowed.
    await manual(t, { action: 'block', value: '192.0.2.67' }).expect(409);
  });

  it('an allow that covers a block revokes it without pieces', async () => {
    const block = (await manual(t, { action: 'block', value: '198.51.100.9' }).expect(201)).body.decision as View;
    const res = await manual(t, { action: 'allow', value: '198.51.100.0/24' }).expect(201);
    expect(res.body.revoked.map((d: View) => d.id)).toEqual([block.id]);
    expect(res.body.created).toEqual([]);
    expect(values((await pull(t)).deleted)).toEqual(['198.51.100.9']);
  });
});

describe('policy decisions never block allow-listed addresses', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startApp({ ALLOWLIST_CIDRS: '203.0.113.200/32, 2001:db8:9:9::7/128' });
  });
  afterAll(() => t.close());

  const send = async (events: object[]): Promise<{ decision: View | null }[]> => {
    const answers: { decision: View | null }[] = [];
    for (const event of events) {
      answers.push((await request(t.server).post('/ingest-log').send(event).expect(202)).body);
    }
    return answers;
  };

  it('no range escalation over a /24 that holds an allow-listed address', async () => {
    for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4']) {
      const answers = await send(sshFailures(ip, 6, Date.now() - 600_000));
      expect(answers[5].decision).toMatchObject({ action: 'block', value: ip });
    }
    const bans = (await blocklist(t)).trim().split('\n');
    expect(bans).toEqual(['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4']);
  });

  it('no /64 block for addresses rotating in a /64 that holds an allow-listed address', async () => {
    const ips = ['2001:db8:9:9::1', '2001:db8:9:9::2', '2001:db8:9:9:a::3', '2001:db8:9:9:b::4', '2001:db8:9:9::5'];
    const events = [...ips, '2001:db8:9:9::6'].map((ip, i) => ({
      message: `Failed password for root from ${ip} port ${43000 + i} ssh2`,
    }));
    const answers = await send(events);
    expect(answers.every((a) => a.decision?.action !== 'block')).toBe(true);
    expect(answers[5].decision).toMatchObject({ action: 'alert', scope: 'range', value: '2001:db8:9:9::/64' });
    expect(answers[5].decision?.reason).toMatch(
      /not blocked: allow-listed by 2001:db8:9:9::7\/128 \(ALLOWLIST_CIDRS\)/,
    );
    expect(await blocklist(t)).not.toContain('2001:db8:9:9::/64');
  });
});
