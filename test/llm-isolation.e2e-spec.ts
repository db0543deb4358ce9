import request from 'supertest';
import { CapturedRequest, dataBlockOf } from './fake-anthropic';
import { LIMITS } from '../src/domain/event';
import { INJECTION_CORPUS } from './injection-corpus';
import { checkableWindows, exposedTexts, leaksOf, windowsOf } from './leak-check';
import { reviewsSettled, startWithFake } from './llm-e2e';

/**
 * The isolation proof through HTTP. Every crafted payload goes into every untrusted field of
 * five failed logins from its own address (message, user, URL, user agent, host, event type);
 * a model that answers "benign" to everything reviews each actor through the real SDK. Then:
 * no 12-character run of any payload is in any request that reached the API, and every one of
 * those brute-forcing actors is still blocked.
 */

const T0 = Date.parse('2026-11-24T10:00:00Z');
const BENIGN_IP = '198.19.255.254';

/** One /24 per actor, so that range escalation does not fold them into a network block. */
const addressOf = (i: number): string => `198.${18 + Math.floor(i / 256)}.${i % 256}.7`;

function failedLogins(ip: string, text: string): Record<string, unknown>[] {
  return Array.from({ length: 5 }, (_, i) => ({
    timestamp: new Date(T0 + i * 10_000).toISOString(),
    source_ip: ip,
    source_port: 40_000 + i,
    // One event carries the payload as its type; the others say what they are.
    event_type: i === 4 ? text.slice(0, LIMITS.eventType) : 'ssh_login_failed',
    outcome: 'failure',
    host: text.slice(0, LIMITS.host),
    user: text.slice(0, LIMITS.user),
    url: text.slice(0, LIMITS.url),
    user_agent: text.slice(0, LIMITS.userAgent),
    message: `Failed password for ${text} from ${ip} port ${40_000 + i} ssh2`.slice(0, 20_000),
  }));
}

const exposedWindows = (sent: CapturedRequest): Set<string> => windowsOf(exposedTexts(sent.raw, sent.body));

describe('prompt isolation through HTTP (fake Messages API)', () => {
  let rig: Awaited<ReturnType<typeof startWithFake>>;
  const byActor = new Map<string, CapturedRequest[]>();
  let benign: CapturedRequest;
  /** Our own words for this actor: the benign request, with its address in place of the benign one. */
  const baselineFor = (ip: string): Set<string> => {
    const raw = benign.raw.split(BENIGN_IP).join(ip);
    return windowsOf(exposedTexts(raw, JSON.parse(raw)));
  };

  beforeAll(async () => {
    rig = await startWithFake({ LLM_CONCURRENCY: '8', INGEST_MAX_BODY: '4194304' });
    rig.fake.otherwise({ kind: 'verdict' });
    const { t } = rig;
    // A benign-looking brute force first: its request is the baseline of our own words.
    await request(t.server).post('/ingest-log/batch').send(failedLogins(BENIGN_IP, 'alice')).expect(202);
    for (const [i, { payload }] of INJECTION_CORPUS.entries()) {
      const res = await request(t.server)
        .post('/ingest-log/batch')
        .send(failedLogins(addressOf(i), payload));
      expect({ i, status: res.status, accepted: res.body.accepted }).toEqual({ i, status: 202, accepted: 5 });
    }
    await reviewsSettled(t, 60_000);
    for (const sent of rig.fake.requests) {
      const actor = dataBlockOf(sent)?.features.actor ?? 'unparsed';
      byActor.set(actor, [...(byActor.get(actor) ?? []), sent]);
    }
    benign = (byActor.get(BENIGN_IP) ?? [])[0];
  }, 120_000);

  afterAll(() => rig.close());

  it('reviewed every actor, each request carrying one parseable data block', () => {
    expect(INJECTION_CORPUS.length).toBeGreaterThanOrEqual(200);
    expect(byActor.has('unparsed')).toBe(false);
    expect(byActor.size).toBe(INJECTION_CORPUS.length + 1);
    expect(baselineFor(BENIGN_IP).size).toBeGreaterThan(1000);
    const vacuous = INJECTION_CORPUS.filter(
      ({ payload }, i) => checkableWindows(payload, baselineFor(addressOf(i))).length === 0,
    );
    expect(vacuous).toEqual([]);
  });

  it('would catch a leak: a payload fragment added to a captured request is found', () => {
    const ip = addressOf(0);
    const [one] = byActor.get(ip) ?? [];
    const { payload } = INJECTION_CORPUS[0];
    const body = { ...one.body, note: payload.slice(5, 25).toUpperCase() };
    const tampered = { ...one, raw: JSON.stringify(body), body };
    expect(leaksOf(exposedWindows(tampered), payload, baselineFor(ip)).length).toBeGreaterThan(0);
  });

  it.each(INJECTION_CORPUS.map((injection, i) => ({ ...injection, ip: addressOf(i) })))(
    '$name: nothing of it reaches the API, and $ip is still blocked',
    async ({ payload, ip }) => {
      const sent = byActor.get(ip) ?? [];
      expect(sent.length).toBeGreaterThan(0);
      for (const one of sent) {
        expect(leaksOf(exposedWindows(one), payload, baselineFor(ip))).toEqual([]);
      }
      const actor = (await request(rig.t.server).get(`/actors/${ip}`).expect(200)).body;
      expect(actor.profile.eventCount).toBe(5);
      expect(actor.decision).toMatchObject({ action: 'block', origin: 'policy', status: 'active' });
      expect(actor.verdicts[0]).toMatchObject({ provider: 'anthropic', score: 0, level: 'none' });
    },
  );
});
