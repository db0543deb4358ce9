import { Signal } from '../domain/signal';
import { applyObservations } from '../memory/actor-profile';
import { ActorProfile } from '../domain/actor';
import { Verdict } from '../domain/verdict';
import { DEFAULT_POLICY } from './default-policy';
import {
  ActiveDecision,
  decide,
  distinctPathsInWindow,
  durationFor,
  evaluatePolicy,
  peakInWindow,
  Policy,
  PolicyRule,
} from './policy';

const T0 = Date.parse('2026-11-24T10:00:00Z');
const NOW = new Date('2026-11-24T12:00:00Z');

/** An actor with one event per entry: [signal, seconds after T0]. */
function actorWith(events: [Signal | null, number][], offenceCount = 0): ActorProfile {
  const profile = applyObservations(
    undefined,
    '203.0.113.7',
    events.map(([signal, seconds]) => ({
      sourceIp: '203.0.113.7',
      eventTime: new Date(T0 + seconds * 1000),
      outcome: signal === 'auth_failure' ? ('failure' as const) : ('unknown' as const),
      signals: signal === null ? [] : [signal],
    })),
  );
  return { ...profile, offenceCount };
}

const repeat = (signal: Signal, count: number, everySeconds: number): [Signal, number][] =>
  Array.from({ length: count }, (_, i) => [signal, i * everySeconds]);

const verdict = (score: number): Verdict => ({
  level: 'none',
  score,
  categories: [],
  techniques: [],
  confidence: 0.5,
  rationale: '',
  provider: 'heuristic',
});

describe(evaluatePolicy.name, () => {
  it.each([
    {
      name: '5 failures in 4 minutes blocks (fail2ban maxretry)',
      events: repeat('auth_failure', 5, 60),
      score: 0,
      action: 'block',
      rule: 'ssh-brute-force',
    },
    {
      name: '5 failures in exactly 10 minutes blocks (window is inclusive)',
      events: repeat('auth_failure', 5, 150),
      score: 0,
      action: 'block',
      rule: 'ssh-brute-force',
    },
    {
      name: '5 failures spread over 20 minutes only alerts',
      events: repeat('auth_failure', 5, 300),
      score: 0,
      action: 'alert',
      rule: 'auth-failures-repeated',
    },
    {
      name: '4 failures alert',
      events: repeat('auth_failure', 4, 10),
      score: 0,
      action: 'alert',
      rule: 'auth-failures-repeated',
    },
    {
      name: '1 failure is monitored',
      events: repeat('auth_failure', 1, 0),
      score: 0,
      action: 'monitor',
      rule: 'auth-failure-seen',
    },
    {
      name: 'one SQL injection blocks',
      events: [['sql_injection', 0]],
      score: 0,
      action: 'block',
      rule: 'web-attack-high',
    },
    {
      name: 'one command injection blocks',
      events: [['command_injection', 0]],
      score: 0,
      action: 'block',
      rule: 'web-attack-high',
    },
    {
      name: 'one path traversal blocks',
      events: [['path_traversal', 0]],
      score: 0,
      action: 'block',
      rule: 'web-attack-high',
    },
    { name: 'Log4Shell blocks', events: [['log4shell', 0]], score: 0, action: 'block', rule: 'log4shell-attempt' },
    { name: 'one XSS alerts', events: [['xss', 0]], score: 0, action: 'alert', rule: 'web-attack-medium' },
    {
      name: 'one sensitive-file probe alerts',
      events: [['sensitive_file_probe', 0]],
      score: 0,
      action: 'alert',
      rule: 'web-attack-medium',
    },
    {
      name: 'five sensitive-file probes block',
      events: repeat('sensitive_file_probe', 5, 30),
      score: 0,
      action: 'block',
      rule: 'sensitive-file-sweep',
    },
    { name: 'a scanner is monitored', events: [['scanner', 0]], score: 0, action: 'monitor', rule: 'scanner-seen' },
    { name: 'a high score alone blocks', events: [[null, 0]], score: 85, action: 'block', rule: 'verdict-high' },
    { name: 'a medium score alone alerts', events: [[null, 0]], score: 60, action: 'alert', rule: 'verdict-medium' },
    {
      name: 'hard evidence beats a score rule of the same action',
      events: repeat('auth_failure', 6, 10),
      score: 95,
      action: 'block',
      rule: 'ssh-brute-force',
    },
    {
      name: 'hard evidence stands whatever the verdict says',
      events: repeat('auth_failure', 6, 10),
      score: 0,
      action: 'block',
      rule: 'ssh-brute-force',
    },
    {
      name: 'benign traffic gets nothing',
      events: [
        [null, 0],
        [null, 10],
      ],
      score: 5,
      action: null,
      rule: null,
    },
  ] as {
    name: string;
    events: [Signal | null, number][];
    score: number;
    action: string | null;
    rule: string | null;
  }[])('$name', ({ events, score, action, rule }) => {
    const outcome = evaluatePolicy({ verdict: verdict(score), actor: actorWith(events), now: NOW }, DEFAULT_POLICY);
    expect(outcome?.action ?? null).toBe(action);
    expect(outcome?.ruleId ?? null).toBe(rule);
  });

  it('puts the winning rule and every matched rule on the outcome', () => {
    const outcome = evaluatePolicy(
      { verdict: verdict(90), actor: actorWith(repeat('auth_failure', 5, 1)), now: NOW },
      DEFAULT_POLICY,
    );
    expect(outcome?.reason).toBe('5 or more authentication failures within 10 minutes');
    expect(outcome?.matchedRuleIds).toEqual([
      'ssh-brute-force',
      'verdict-high',
      'auth-failures-repeated',
      'verdict-medium',
      'auth-failure-seen',
    ]);
    expect(outcome?.expiresAt.toISOString()).toBe('2026-11-24T12:10:00.000Z');
  });

  it('does not depend on the order the rules are declared in', () => {
    const reversed: Policy = { ...DEFAULT_POLICY, rules: [...DEFAULT_POLICY.rules].reverse() };
    const input = { verdict: verdict(90), actor: actorWith(repeat('auth_failure', 5, 1)), now: NOW };
    expect(evaluatePolicy(input, reversed)).toEqual(evaluatePolicy(input, DEFAULT_POLICY));
  });
});

describe(durationFor.name, () => {
  it.each([
    { offences: 0, seconds: 600 },
    { offences: 1, seconds: 1200 },
    { offences: 2, seconds: 2400 },
    { offences: 5, seconds: 19200 },
    { offences: 20, seconds: 7 * 24 * 3600 },
    { offences: 10_000, seconds: 7 * 24 * 3600 },
  ])('a block after $offences earlier block(s) lasts $seconds s', ({ offences, seconds }) => {
    expect(durationFor('block', offences, DEFAULT_POLICY)).toBe(seconds);
  });

  it('gives alerts and monitors their fixed duration', () => {
    expect(durationFor('alert', 3, DEFAULT_POLICY)).toBe(DEFAULT_POLICY.alertSeconds);
    expect(durationFor('monitor', 3, DEFAULT_POLICY)).toBe(DEFAULT_POLICY.monitorSeconds);
  });
});

describe(decide.name, () => {
  const brute = actorWith(repeat('auth_failure', 5, 1));
  const active = (action: ActiveDecision['action']): ActiveDecision => ({
    action,
    ruleId: 'x',
    expiresAt: new Date(NOW.getTime() + 60_000),
  });

  it.each([
    { name: 'nothing in force: block', inForce: null, expected: 'block' },
    { name: 'a monitor in force: escalate to block', inForce: active('monitor'), expected: 'block' },
    { name: 'an alert in force: escalate to block', inForce: active('alert'), expected: 'block' },
    { name: 'already blocked: no new decision', inForce: active('block'), expected: null },
  ])('$name', ({ inForce, expected }) => {
    expect(
      decide({ verdict: verdict(0), actor: brute, active: inForce, now: NOW }, DEFAULT_POLICY).live?.action ?? null,
    ).toBe(expected);
  });

  it('blocks a repeat offender for longer', () => {
    const again = { ...brute, offenceCount: 2 };
    expect(
      decide({ verdict: verdict(0), actor: again, active: null, now: NOW }, DEFAULT_POLICY).live?.durationSeconds,
    ).toBe(2400);
  });
});

describe('DEFAULT_POLICY', () => {
  it('has unique rule ids, a reason on every rule, and windows the timeline can hold', () => {
    const ids = DEFAULT_POLICY.rules.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of DEFAULT_POLICY.rules) {
      expect(rule.reason.length).toBeGreaterThan(10);
      if (rule.when.signals !== undefined) {
        expect(rule.when.atLeast).toBeLessThanOrEqual(64);
        expect(rule.when.signals.length).toBeGreaterThan(0);
      }
    }
  });
});

const at = (seconds: number): Date => new Date(T0 + seconds * 1000);

describe(peakInWindow.name, () => {
  // Failures at 0..240 s (a burst of 5), then quiet, then one at 1200 s.
  const actor = actorWith([...repeat('auth_failure', 5, 60), ['auth_failure', 1200]]);
  it.each([
    { name: 'judging now: only the window ending at the last event', since: undefined, peak: 1 },
    { name: 'since the burst began: the burst is seen whole', since: 0, peak: 5 },
    { name: 'since the middle of the burst: windows ending there still reach back', since: 120, peak: 5 },
    { name: 'since after the burst: old evidence does not count again', since: 600, peak: 1 },
    { name: 'since after everything: nothing new', since: 1300, peak: 0 },
  ])('$name', ({ since, peak }) => {
    expect(peakInWindow(actor, ['auth_failure'], 600, since === undefined ? undefined : T0 + since * 1000)).toBe(peak);
  });

  it('merges several signals in time order', () => {
    const mixed = actorWith([
      ['sql_injection', 0],
      ['xss', 30],
      ['sql_injection', 60],
      ['xss', 700],
    ]);
    expect(peakInWindow(mixed, ['sql_injection', 'xss'], 600, T0)).toBe(3);
  });
});

describe('decide on the write path (since)', () => {
  const burstThenQuiet = actorWith([...repeat('auth_failure', 5, 10), [null, 300]]);

  it.each([
    { name: 'a burst early in one write is still caught', since: 0, action: 'block' },
    { name: 'a harmless event later does not re-block on old evidence', since: 300, action: null },
  ])('$name', ({ since, action }) => {
    const decided = decide(
      { verdict: verdict(85), actor: burstThenQuiet, active: null, since: at(since), now: NOW },
      DEFAULT_POLICY,
    );
    expect(decided.live?.action ?? null).toBe(action);
  });
});

describe('decisions that expired during the write', () => {
  // Failures every 10 s for 15 minutes, all in one write; a block ran from the start until 600 s.
  const long = actorWith(repeat('auth_failure', 90, 10));
  const expiredBlock = { action: 'block' as const, ruleId: 'ssh-brute-force', expiresAt: at(600) };

  it.each([
    { name: 'nothing expired: the burst blocks', expired: [], since: 0, live: 'block' },
    {
      name: 'failures after the expired block block again',
      expired: [expiredBlock],
      since: 0,
      live: 'block',
    },
    {
      name: 'failures only while the block was in force do not',
      expired: [expiredBlock],
      since: 0,
      live: null,
      only: 590,
    },
  ] as { name: string; expired: ActiveDecision[]; since: number; live: string | null; only?: number }[])(
    '$name',
    ({ expired, since, live, only }) => {
      const actor = only === undefined ? long : actorWith(repeat('auth_failure', only / 10, 10));
      const decided = decide(
        { verdict: verdict(0), actor, active: null, since: at(since), expired, now: NOW },
        DEFAULT_POLICY,
      );
      expect(decided.live?.action ?? null).toBe(live);
    },
  );
});

describe('allow-listed actors', () => {
  const allow = { description: '10.0.0.0/8 (policy allowlist)' };
  const brute = actorWith(repeat('auth_failure', 5, 1));

  it('turns a block into an alert that says why', () => {
    const { live } = decide({ verdict: verdict(0), actor: brute, active: null, allow, now: NOW }, DEFAULT_POLICY);
    expect(live).toMatchObject({ action: 'alert', ruleId: 'ssh-brute-force', allowListed: true });
    expect(live?.reason).toMatch(/not blocked: allow-listed by 10\.0\.0\.0\/8/);
  });

  it.each([
    {
      name: 'records it over a plain alert',
      inForce: { action: 'alert', ruleId: 'auth-failures-repeated' },
      made: true,
    },
    { name: 'not twice', inForce: { action: 'alert', ruleId: 'ssh-brute-force' }, made: false },
  ] as { name: string; inForce: { action: ActiveDecision['action']; ruleId: string }; made: boolean }[])(
    '$name',
    ({ inForce, made }) => {
      const active = { ...inForce, expiresAt: new Date(NOW.getTime() + 60_000) };
      const { live } = decide({ verdict: verdict(0), actor: brute, active, allow, now: NOW }, DEFAULT_POLICY);
      expect(live !== null).toBe(made);
    },
  );

  it('leaves alerts and monitors as they are', () => {
    const { live } = decide(
      { verdict: verdict(0), actor: actorWith([['xss', 0]]), active: null, allow, now: NOW },
      DEFAULT_POLICY,
    );
    expect(live).toMatchObject({ action: 'alert', ruleId: 'web-attack-medium', allowListed: false });
  });
});

describe('actors that cannot be blocked (host names without resolution, local accounts)', () => {
  const brute = actorWith(repeat('auth_failure', 5, 1));
  it.each([
    { why: 'a local account has no address to block', allow: null },
    { why: 'host name x.example did not resolve', allow: null },
  ])('caps a block to an alert that says "$why"', ({ why, allow }) => {
    const { live } = decide(
      { verdict: verdict(0), actor: brute, active: null, allow, notBlockable: why, now: NOW },
      DEFAULT_POLICY,
    );
    expect(live).toMatchObject({ action: 'alert', ruleId: 'ssh-brute-force', allowListed: true });
    expect(live?.reason).toBe(`5 or more authentication failures within 10 minutes; not blocked: ${why}`);
  });

  it('the allow-list reason comes first when both hold', () => {
    const { live } = decide(
      {
        verdict: verdict(0),
        actor: brute,
        active: null,
        allow: { description: '10.0.0.0/8 (policy allowlist)' },
        notBlockable: 'a local account has no address to block',
        now: NOW,
      },
      DEFAULT_POLICY,
    );
    expect(live?.reason).toMatch(/not blocked: allow-listed by 10\.0\.0\.0\/8 \(policy allowlist\)$/);
  });
});

describe(distinctPathsInWindow.name, () => {
  /** One 404 per entry: [path, seconds after T0]. */
  const notFound = (requests: [string, number][]): ActorProfile =>
    applyObservations(
      undefined,
      '203.0.113.7',
      requests.map(([path, seconds]) => ({
        sourceIp: '203.0.113.7',
        eventTime: new Date(T0 + seconds * 1000),
        outcome: 'unknown' as const,
        signals: ['http_not_found'],
        pathHash: path,
      })),
    );
  const sweep = (n: number, every: number): [string, number][] =>
    Array.from({ length: n }, (_, i) => [`/p${i}`, i * every]);
  const same = (n: number, every: number): [string, number][] =>
    Array.from({ length: n }, (_, i) => ['/favicon.ico', i * every]);

  it.each([
    { name: 'one path hammered 50 times', requests: same(50, 2), since: undefined, expected: 1 },
    { name: '30 distinct paths in a minute', requests: sweep(30, 2), since: undefined, expected: 30 },
    {
      name: 'distinct paths spread over 10 minutes, last 2 minutes',
      requests: sweep(30, 20),
      since: undefined,
      expected: 7,
    },
    {
      name: 'a path repeated inside the window counts once',
      requests: [...sweep(5, 1), ...sweep(5, 1)],
      since: undefined,
      expected: 5,
    },
    {
      name: 'the write path: the peak window ending after since',
      requests: sweep(30, 2),
      since: T0 + 40_000,
      expected: 30,
    },
    {
      name: 'the write path: windows ending before since do not count',
      requests: sweep(10, 2),
      since: T0 + 60_000,
      expected: 0,
    },
    {
      name: 'a sweep then a favicon storm: the sweep still shows (20 paths and the favicon)',
      requests: [...sweep(20, 1), ...same(30, 1).map(([p, t]): [string, number] => [p, t + 20])],
      since: T0 + 20_000,
      expected: 21,
    },
  ])('$name', ({ requests, since, expected }) => {
    expect(distinctPathsInWindow(notFound(requests), ['http_not_found'], 120, since)).toBe(expected);
  });

  it('keeps the latest TIMELINE_CAP occurrences with a path; other signals keep none', () => {
    const profile = notFound(sweep(100, 1));
    expect(profile.signalPaths?.http_not_found).toHaveLength(64);
    expect(profile.signalPaths?.http_not_found?.[0]).toEqual([T0 + 36_000, '/p36']);
    expect(actorWith([['xss', 0]]).signalPaths).toBeUndefined();
  });

  it('the default 404 rule counts paths: one missing favicon is no sweep, 20 distinct paths are', () => {
    const judge = (requests: [string, number][]) =>
      evaluatePolicy({ verdict: verdict(0), actor: notFound(requests), now: NOW }, DEFAULT_POLICY)?.ruleId;
    expect(judge(same(50, 2))).not.toBe('web-not-found-sweep');
    expect(judge(sweep(20, 2))).toBe('web-not-found-sweep');
  });
});

describe('simulation', () => {
  const brute = actorWith(repeat('auth_failure', 5, 1));
  const withRule = (change: Partial<PolicyRule>, id = 'ssh-brute-force'): Policy => ({
    ...DEFAULT_POLICY,
    rules: DEFAULT_POLICY.rules.map((rule) => (rule.id === id ? { ...rule, ...change } : rule)),
  });
  const inForce = (action: ActiveDecision['action'], ruleId = 'x'): ActiveDecision => ({
    action,
    ruleId,
    expiresAt: new Date(NOW.getTime() + 60_000),
  });

  it.each([
    {
      name: 'a simulated rule records a simulated block; the published rules still alert',
      policy: withRule({ simulate: true }),
      active: null,
      simulated: null,
      live: 'alert',
      shadow: 'block',
    },
    {
      name: 'a simulated policy publishes nothing',
      policy: { ...DEFAULT_POLICY, simulate: true },
      active: null,
      simulated: null,
      live: null,
      shadow: 'block',
    },
    {
      name: 'a simulated block already in force is not simulated again',
      policy: withRule({ simulate: true }),
      active: inForce('alert'),
      simulated: inForce('block'),
      live: null,
      shadow: null,
    },
    {
      name: 'a published rule winning leaves nothing to simulate',
      policy: withRule({ simulate: true }, 'auth-failure-seen'),
      active: null,
      simulated: null,
      live: 'block',
      shadow: null,
    },
  ] as {
    name: string;
    policy: Policy;
    active: ActiveDecision | null;
    simulated: ActiveDecision | null;
    live: string | null;
    shadow: string | null;
  }[])('$name', ({ policy, active, simulated, live, shadow }) => {
    const decided = decide({ verdict: verdict(0), actor: brute, active, simulated, now: NOW }, policy);
    expect(decided.live?.action ?? null).toBe(live);
    expect(decided.simulated?.action ?? null).toBe(shadow);
    expect(decided.simulated?.simulated ?? true).toBe(true);
  });
});
