import { v7 as timeOrderedId } from 'uuid';
import { ActorProfile } from '../domain/actor';
import { NewDecision, StoredDecision } from '../domain/decision';
import { TaggedEvent } from '../domain/event';
import { applyObservations, observationOf } from '../memory/actor-profile';
import { ActorOutcome } from '../memory/records';
import {
  BlockLedger,
  DecisionsInForce,
  PlannedAudit,
  PlannedVerdict,
  TriagePlan,
  TriageStore,
} from '../memory/triage-plan';
import { ActorJudge, EvaluationContext } from './actor-judge';
import { isNetworkKey, NetworkKeys } from './policy-networks';
import { earliestEventTime, evaluationOrder, groupByKey, inForceKeys, strongest, WriteKeys } from './write-keys';

/**
 * Triage of one write: its events applied to the profiles of the keys they count under,
 * each key judged against the strongest decision in force for it (addresses first, then their
 * networks), a verdict recorded when it changed or decided something, the write's network
 * decisions shown to the addresses they cover, and range escalation. Reads through `store`
 * only; the store persists the plan as it is.
 */
export async function planTriage(
  judge: ActorJudge,
  store: TriageStore,
  events: readonly TaggedEvent[],
  now: Date,
): Promise<TriagePlan> {
  await judge.prepare(events);
  const keys = groupByKey(events, (ip) => judge.networksOf(ip));
  const [stored, inForce] = await Promise.all([
    store.loadActors([...keys.byKey.keys()]),
    store.loadInForce(inForceKeys(keys), now, earliestEventTime(events)),
  ]);
  const plan: TriagePlan = {
    outcomes: new Map(),
    verdicts: [],
    decisions: [],
    audit: [],
    ledger: [],
    networks: keys.networks,
  };
  for (const key of evaluationOrder(keys)) {
    const keyEvents = keys.byKey.get(key) as TaggedEvent[];
    const previous = stored.get(key);
    const profile = applyObservations(previous?.profile, key, keyEvents.map(observationOf));
    const context: EvaluationContext = {
      since: earliestEventTime(keyEvents),
      simulated: inForce.simulated.get(key) ?? null,
      allows: inForce.allows,
      expired: [key, ...(keys.networks.get(key)?.covering ?? [])].flatMap((k) => inForce.expired.get(k) ?? []),
    };
    const { outcome, made } = judgeKey(judge, profile, inForceFor(key, keys, inForce, plan.outcomes), now, context);
    if (
      previous?.lastLevel !== outcome.verdict.level ||
      previous?.lastScore !== outcome.verdict.score ||
      made.length > 0
    ) {
      const verdict: PlannedVerdict = { id: timeOrderedId(), actor: key, verdict: outcome.verdict };
      plan.verdicts.push(verdict);
      for (const decision of made) {
        decision.verdictId = verdict.id;
        plan.audit.push(auditOf(decision));
      }
    }
    plan.decisions.push(...made);
    plan.outcomes.set(key, outcome);
  }
  coverAddresses(keys.networks, plan.outcomes, plan.decisions);
  const ledger = store.blockLedger(now, plan.decisions);
  const ranges = await escalateRanges(judge, ledger, plan.decisions, inForce.allows, now);
  plan.audit.push(...ranges.map(auditOf));
  plan.decisions.push(...ranges);
  return { ...plan, ledger: ledger.notes };
}

/** Every key these events count under or answer to (addresses and their networks): what a write locks. */
export function keysToLock(judge: Pick<ActorJudge, 'networksOf'>, events: readonly TaggedEvent[]): Set<string> {
  const keys = new Set<string>();
  for (const ip of new Set(events.map((event) => event.sourceIp))) {
    const networks = judge.networksOf(ip);
    keys.add(ip);
    networks.counted.forEach((network) => keys.add(network));
    networks.covering.forEach((network) => keys.add(network));
  }
  return keys;
}

/**
 * The strongest decision in force for `key`. An address answers to decisions on its covering
 * keys too; a network is judged against what its addresses in this write now have, so it
 * decides only when it shows more than they do.
 */
function inForceFor(
  key: string,
  keys: WriteKeys,
  inForce: DecisionsInForce,
  outcomes: ReadonlyMap<string, ActorOutcome>,
): StoredDecision | null {
  const { active } = inForce;
  return isNetworkKey(key)
    ? strongest([active.get(key), ...(keys.members.get(key) ?? []).map((ip) => outcomes.get(ip)?.decision)])
    : strongest([active.get(key), ...(keys.networks.get(key)?.covering ?? []).map((n) => active.get(n))]);
}

/**
 * Judges one key. The answer shows the published decision made now, else a simulated one
 * made now, else what was in force. Only a published block counts as an offence.
 */
export function judgeKey(
  judge: Pick<ActorJudge, 'evaluate'>,
  profile: ActorProfile,
  inForce: StoredDecision | null,
  now: Date,
  context: EvaluationContext,
): { outcome: ActorOutcome; made: StoredDecision[] } {
  const evaluation = judge.evaluate(profile, inForce, now, context);
  const made = [evaluation.decision, ...(evaluation.also ?? [])]
    .filter((decision): decision is NewDecision => decision !== null)
    .map((decision) => toStored(decision, profile.ip, now));
  const shown = made.find((d) => d.status === 'active') ?? made.find((d) => d.status === 'simulated');
  // Every decision an evaluation makes is on its key, except a host name's blocks, made on the
  // addresses it resolves to: those are its offence too.
  const blocked = made.some((d) => d.action === 'block' && d.status === 'active');
  const actor = blocked ? { ...profile, offenceCount: profile.offenceCount + 1 } : profile;
  return {
    outcome: { actor, verdict: evaluation.verdict, decision: shown ?? inForce, isNew: shown !== undefined },
    made,
  };
}

/** An address's answer shows a published decision this write made on a network covering it, if stronger. */
export function coverAddresses(
  networks: ReadonlyMap<string, NetworkKeys>,
  outcomes: ReadonlyMap<string, ActorOutcome>,
  made: readonly StoredDecision[],
): void {
  const onNetworks = new Map<string, StoredDecision>();
  for (const decision of made) {
    if (decision.status === 'active' && isNetworkKey(decision.value)) {
      onNetworks.set(decision.value, strongest([onNetworks.get(decision.value), decision]) as StoredDecision);
    }
  }
  if (onNetworks.size === 0) {
    return;
  }
  for (const [ip, keys] of networks) {
    const outcome = outcomes.get(ip);
    if (outcome !== undefined && keys.covering.some((network) => onNetworks.has(network))) {
      outcome.decision = strongest([outcome.decision, ...keys.covering.map((network) => onNetworks.get(network))]);
    }
  }
}

/** Range decisions that follow from this write's new blocks, stored with it. */
async function escalateRanges(
  judge: Pick<ActorJudge, 'escalate'>,
  ledger: BlockLedger,
  made: readonly StoredDecision[],
  allows: readonly StoredDecision[],
  now: Date,
): Promise<StoredDecision[]> {
  const blocks = made.filter((decision) => decision.action === 'block' && decision.scope === 'ip');
  if (blocks.length === 0) {
    return [];
  }
  return (await judge.escalate(blocks, ledger, allows)).map((decision) =>
    toStored(decision, decision.value ?? '', now),
  );
}

/** A new decision on `key` as stored: an id, its scope (a network key's is `range`), made now. */
export function toStored(decision: NewDecision, key: string, now: Date): StoredDecision {
  const { scope, value, ...rest } = decision;
  return {
    id: timeOrderedId(),
    scope: scope ?? (isNetworkKey(key) ? 'range' : 'ip'),
    value: value ?? key,
    createdBy: decision.origin,
    ...rest,
    verdictId: null,
    createdAt: now,
    revokedAt: null,
    revokeReason: null,
  };
}

function auditOf(decision: StoredDecision): PlannedAudit {
  return { id: timeOrderedId(), decisionId: decision.id, who: decision.createdBy, reason: decision.reason };
}
