import { ActorProfile } from '../domain/actor';
import { DecisionStatus, NewDecision, StoredDecision } from '../domain/decision';
import { TaggedEvent } from '../domain/event';
import { Verdict } from '../domain/verdict';
import { emptyProfile } from '../memory/actor-profile';
import { LedgerNote } from '../memory/planned-writes';
import { BlockLedger, TriageStore } from '../memory/triage-plan';
import { ActorJudge } from './actor-judge';
import { NetworkKeys } from './policy-networks';
import { keysToLock, planTriage } from './triage-planner';

const NOW = new Date('2026-11-24T10:00:00Z');
const LATER = new Date('2026-11-24T11:00:00Z');
const VERDICT: Verdict = {
  level: 'low',
  score: 10,
  categories: [],
  techniques: [],
  confidence: 0.5,
  rationale: 'test',
  provider: 'heuristic',
};

const event = (sourceIp: string): TaggedEvent => ({
  sourceIp,
  eventTime: NOW,
  outcome: 'failure',
  signals: ['auth_failure'],
});

/** IPv6 addresses count towards their /64; IPv4 ones are covered by their /24; the host name by its address. */
function networksOf(ip: string): NetworkKeys {
  if (ip.startsWith('2001:db8:1:2::')) {
    return { counted: ['2001:db8:1:2::/64'], covering: ['2001:db8:1:2::/64'] };
  }
  if (ip === 'host.example') {
    return { counted: [], covering: ['198.51.100.1'] };
  }
  return ip.includes('/') ? { counted: [], covering: [] } : { counted: [], covering: ['203.0.113.0/24'] };
}

const made = (action: NewDecision['action'], extra: Partial<NewDecision> = {}): NewDecision => ({
  action,
  origin: 'policy',
  status: 'active',
  ruleId: 'test-rule',
  reason: `${action} for a test`,
  expiresAt: LATER,
  ...extra,
});

const stored = (action: StoredDecision['action'], scope: StoredDecision['scope'], value: string): StoredDecision => ({
  ...made(action),
  id: `stored-${value}`,
  scope,
  value,
  createdBy: 'policy',
  verdictId: null,
  createdAt: NOW,
  revokedAt: null,
  revokeReason: null,
});

interface Case {
  name: string;
  events: string[];
  /** Keys whose actor is stored with the same last verdict as the judge gives. */
  known?: string[];
  inForce?: StoredDecision[];
  makes?: Record<string, NewDecision[]>;
  /** What range escalation decides when the write blocks an address. */
  ranges?: NewDecision[];
  expected: {
    judged: string[];
    verdicts: string[];
    decisions: string[];
    /** Per address: the decision its answer shows (`action status value`), or null. */
    shown: Record<string, string | null>;
    offences?: Record<string, number>;
  };
}

/** A judge that decides what `makes` says per key, and records what it was asked. */
function judgeFor(c: Case, seen: { judged: string[]; inForce: Map<string, StoredDecision | null> }): ActorJudge {
  return {
    prepare: () => Promise.resolve(),
    networksOf,
    evaluate: (actor: ActorProfile, inForce: StoredDecision | null) => {
      seen.judged.push(actor.ip);
      seen.inForce.set(actor.ip, inForce);
      const [decision, ...also] = c.makes?.[actor.ip] ?? [];
      return { verdict: VERDICT, decision: decision ?? null, also };
    },
    escalate: (_blocks, ledger) => {
      ledger.noteBlock('203.0.113.0/24', '203.0.113.7', NOW, false);
      return Promise.resolve(c.ranges ?? []);
    },
  };
}

function storeFor(c: Case): TriageStore {
  const notes: LedgerNote[] = [];
  const ledger: BlockLedger = {
    now: NOW,
    notes,
    load: () => Promise.resolve(),
    noteBlock: (network, ip, at, simulated) => notes.push({ network, ip, simulated, at: at.getTime() }),
    blockedMembers: () => 0,
    decisionsOn: () => [],
  };
  return {
    loadActors: (keys) =>
      Promise.resolve(
        new Map(
          keys
            .filter((key) => c.known?.includes(key))
            .map((key) => [
              key,
              { profile: emptyProfile(key, NOW), lastLevel: VERDICT.level, lastScore: VERDICT.score },
            ]),
        ),
      ),
    loadInForce: () =>
      Promise.resolve({
        active: new Map((c.inForce ?? []).map((d) => [d.value, d])),
        simulated: new Map(),
        expired: new Map(),
        allows: [],
      }),
    blockLedger: () => ledger,
  };
}

const shown = (d: StoredDecision | null): string | null => (d === null ? null : `${d.action} ${d.status} ${d.value}`);
const described = (d: StoredDecision): string => `${d.action} ${d.status} ${d.scope} ${d.value}`;
const simulated: { status: DecisionStatus } = { status: 'simulated' };

const CASES: Case[] = [
  {
    name: 'a new actor gets a verdict and, undecided, answers with nothing',
    events: ['203.0.113.7'],
    expected: { judged: ['203.0.113.7'], verdicts: ['203.0.113.7'], decisions: [], shown: { '203.0.113.7': null } },
  },
  {
    name: 'an actor whose verdict did not change records none',
    events: ['203.0.113.7', '203.0.113.7'],
    known: ['203.0.113.7'],
    expected: { judged: ['203.0.113.7'], verdicts: [], decisions: [], shown: { '203.0.113.7': null } },
  },
  {
    name: 'a decision records its verdict even when unchanged; a published block is an offence',
    events: ['203.0.113.7'],
    known: ['203.0.113.7'],
    makes: { '203.0.113.7': [made('block')] },
    expected: {
      judged: ['203.0.113.7'],
      verdicts: ['203.0.113.7'],
      decisions: ['block active ip 203.0.113.7'],
      shown: { '203.0.113.7': 'block active 203.0.113.7' },
      offences: { '203.0.113.7': 1 },
    },
  },
  {
    name: 'a simulated block is shown when nothing is published, and is no offence',
    events: ['203.0.113.7'],
    makes: { '203.0.113.7': [made('block', simulated)] },
    expected: {
      judged: ['203.0.113.7'],
      verdicts: ['203.0.113.7'],
      decisions: ['block simulated ip 203.0.113.7'],
      shown: { '203.0.113.7': 'block simulated 203.0.113.7' },
      offences: { '203.0.113.7': 0 },
    },
  },
  {
    name: 'the published decision is shown before a simulated one made beside it',
    events: ['203.0.113.7'],
    makes: { '203.0.113.7': [made('block', simulated), made('alert')] },
    expected: {
      judged: ['203.0.113.7'],
      verdicts: ['203.0.113.7'],
      decisions: ['block simulated ip 203.0.113.7', 'alert active ip 203.0.113.7'],
      shown: { '203.0.113.7': 'alert active 203.0.113.7' },
      offences: { '203.0.113.7': 0 },
    },
  },
  {
    name: 'an address answers to a block in force on a range covering it',
    events: ['203.0.113.7'],
    inForce: [stored('block', 'range', '203.0.113.0/24')],
    expected: {
      judged: ['203.0.113.7'],
      verdicts: ['203.0.113.7'],
      decisions: [],
      shown: { '203.0.113.7': 'block active 203.0.113.0/24' },
    },
  },
  {
    name: 'a network is judged after its addresses, against what they got',
    events: ['2001:db8:1:2::a', '2001:db8:1:2::b'],
    makes: { '2001:db8:1:2::a': [made('alert')] },
    expected: {
      judged: ['2001:db8:1:2::a', '2001:db8:1:2::b', '2001:db8:1:2::/64'],
      verdicts: ['2001:db8:1:2::a', '2001:db8:1:2::b', '2001:db8:1:2::/64'],
      decisions: ['alert active ip 2001:db8:1:2::a'],
      shown: { '2001:db8:1:2::a': 'alert active 2001:db8:1:2::a', '2001:db8:1:2::b': null },
    },
  },
  {
    name: "a block the write makes on a network is shown to its addresses, as a range (the network's offence)",
    events: ['2001:db8:1:2::a', '2001:db8:1:2::b'],
    makes: { '2001:db8:1:2::a': [made('alert')], '2001:db8:1:2::/64': [made('block')] },
    expected: {
      judged: ['2001:db8:1:2::a', '2001:db8:1:2::b', '2001:db8:1:2::/64'],
      verdicts: ['2001:db8:1:2::a', '2001:db8:1:2::b', '2001:db8:1:2::/64'],
      decisions: ['alert active ip 2001:db8:1:2::a', 'block active range 2001:db8:1:2::/64'],
      shown: {
        '2001:db8:1:2::a': 'block active 2001:db8:1:2::/64',
        '2001:db8:1:2::b': 'block active 2001:db8:1:2::/64',
      },
      offences: { '2001:db8:1:2::a': 0, '2001:db8:1:2::/64': 1 },
    },
  },
  {
    name: "range escalation's decisions follow the write's own, and do not change its answers",
    events: ['203.0.113.7'],
    makes: { '203.0.113.7': [made('block')] },
    ranges: [made('block', { scope: 'range', value: '203.0.113.0/24' })],
    expected: {
      judged: ['203.0.113.7'],
      verdicts: ['203.0.113.7'],
      decisions: ['block active ip 203.0.113.7', 'block active range 203.0.113.0/24'],
      shown: { '203.0.113.7': 'block active 203.0.113.7' },
    },
  },
  {
    name: "a host name's block on the address it resolves to is the name's offence",
    events: ['host.example'],
    makes: {
      'host.example': [made('block', { scope: 'ip', value: '198.51.100.1' }), made('alert', { scope: 'hostname' })],
    },
    expected: {
      judged: ['host.example'],
      verdicts: ['host.example'],
      decisions: ['block active ip 198.51.100.1', 'alert active hostname host.example'],
      shown: { 'host.example': 'block active 198.51.100.1' },
      offences: { 'host.example': 1 },
    },
  },
];

describe(planTriage.name, () => {
  it.each(CASES)('$name', async (c) => {
    const seen = { judged: [] as string[], inForce: new Map<string, StoredDecision | null>() };
    const plan = await planTriage(judgeFor(c, seen), storeFor(c), c.events.map(event), NOW);
    expect(seen.judged).toEqual(c.expected.judged);
    expect([...plan.outcomes.keys()]).toEqual(c.expected.judged);
    expect(plan.verdicts.map((v) => v.actor)).toEqual(c.expected.verdicts);
    expect(plan.decisions.map(described)).toEqual(c.expected.decisions);
    const answers = Object.keys(c.expected.shown).map((ip) => [ip, shown(plan.outcomes.get(ip)?.decision ?? null)]);
    expect(Object.fromEntries(answers)).toEqual(c.expected.shown);
    const offences = Object.keys(c.expected.offences ?? {}).map((k) => [k, plan.outcomes.get(k)?.actor.offenceCount]);
    expect(Object.fromEntries(offences)).toEqual(c.expected.offences ?? {});
  });

  it.each(CASES)(
    "$name: one audit entry per decision made, and each of the write's own is tied to its verdict",
    async (c) => {
      const seen = { judged: [] as string[], inForce: new Map<string, StoredDecision | null>() };
      const plan = await planTriage(judgeFor(c, seen), storeFor(c), c.events.map(event), NOW);
      expect(plan.audit.map((a) => a.decisionId)).toEqual(plan.decisions.map((d) => d.id));
      const verdictIds = new Set(plan.verdicts.map((v) => v.id));
      const own = plan.decisions.slice(0, plan.decisions.length - (c.ranges?.length ?? 0));
      expect(own.every((d) => verdictIds.has(d.verdictId ?? ''))).toBe(true);
      expect(plan.decisions.slice(own.length).map((d) => d.verdictId)).toEqual((c.ranges ?? []).map(() => null));
    },
  );

  it('judges a network against the strongest decision its addresses now answer to', async () => {
    const c = CASES.find((row) => row.name.startsWith('a network is judged')) as Case;
    const seen = { judged: [] as string[], inForce: new Map<string, StoredDecision | null>() };
    await planTriage(judgeFor(c, seen), storeFor(c), c.events.map(event), NOW);
    expect(shown(seen.inForce.get('2001:db8:1:2::/64') ?? null)).toBe('alert active 2001:db8:1:2::a');
  });

  it('escalates only when the write blocks an address, and carries the ledger notes escalation made', async () => {
    const quiet = CASES[0];
    const blocking = CASES.find((row) => row.ranges !== undefined) as Case;
    const seen = { judged: [] as string[], inForce: new Map<string, StoredDecision | null>() };
    expect((await planTriage(judgeFor(quiet, seen), storeFor(quiet), quiet.events.map(event), NOW)).ledger).toEqual([]);
    const plan = await planTriage(judgeFor(blocking, seen), storeFor(blocking), blocking.events.map(event), NOW);
    expect(plan.ledger).toEqual([
      { network: '203.0.113.0/24', ip: '203.0.113.7', simulated: false, at: NOW.getTime() },
    ]);
  });
});

describe(keysToLock.name, () => {
  it.each([
    { name: 'no events, no keys', events: [], keys: [] },
    {
      name: 'an address and the range covering it, once',
      events: ['203.0.113.7', '203.0.113.7'],
      keys: ['203.0.113.7', '203.0.113.0/24'],
    },
    {
      name: 'an IPv6 address and its counted /64',
      events: ['2001:db8:1:2::a'],
      keys: ['2001:db8:1:2::a', '2001:db8:1:2::/64'],
    },
    {
      name: 'a host name and the address it resolves to',
      events: ['host.example'],
      keys: ['host.example', '198.51.100.1'],
    },
  ])('$name', ({ events, keys }) => {
    expect([...keysToLock({ networksOf }, events.map(event))]).toEqual(keys);
  });
});
