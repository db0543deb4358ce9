import { Injectable, Logger } from '@nestjs/common';
import { ContextService } from '../context/context.service';
import { ActorProfile } from '../domain/actor';
import { judgeHeuristically } from '../llm/heuristic';
import { BlockLedger } from '../memory/triage-plan';
import { ActorJudge, Evaluation, EvaluationContext } from './actor-judge';
import { Action, ACTION_SEVERITY, DecisionScope, NewDecision, StoredDecision } from '../domain/decision';
import { ActiveDecision, decide, Outcome } from './policy';
import { escalate, escalationNetwork, networkAddress, NetworkKeys } from './policy-networks';
import { actorScope, ActorScope } from '../common/actor-key';
import { TaggedEvent } from '../domain/event';
import { HostResolver } from './host-resolver';
import { PolicyService } from './policy.service';
import { ReviewService } from './review/review.service';

/**
 * Judges an actor after its new events and applies the policy: the judge of TriageService's
 * plans, so the decision commits with the events that caused it.
 */
@Injectable()
export class DecisionService implements ActorJudge {
  private readonly logger = new Logger(DecisionService.name);

  constructor(
    private readonly context: ContextService,
    private readonly policies: PolicyService,
    private readonly review: ReviewService,
    private readonly hostnames: HostResolver,
  ) {}

  evaluate(actor: ActorProfile, inForce: StoredDecision | null, now: Date, context?: EvaluationContext): Evaluation {
    const scope = actorScope(actor.ip);
    const network = scope === 'range';
    // The immediate verdict is the local heuristic's, from the features alone (it reads no prose).
    // A network's aggregate is judged as the address it starts with: the analyst reviews actors.
    const verdict = judgeHeuristically(
      this.context.featuresOf(network ? { ...actor, ip: networkAddress(actor.ip) } : actor, inForce),
    );
    const blockable = scope === 'hostname' ? this.blockableAddresses(actor.ip, context?.allows ?? []) : null;
    const { live, simulated } = decide(
      {
        verdict,
        actor,
        active: activeOf(inForce),
        simulated: activeOf(context?.simulated ?? null),
        since: context?.since,
        expired: (context?.expired ?? []).map(activeOf).filter((d): d is ActiveDecision => d !== null),
        allow: this.policies.allowed(actor.ip, context?.allows ?? []),
        notBlockable: scope === 'local' ? LOCAL_NOT_BLOCKABLE : (blockable?.why ?? null),
        now,
      },
      this.policies.policy,
    );
    if (scope === 'ip') {
      // The immediate decision is the heuristic's; Claude may review it afterwards, off this path.
      this.review.consider(actor.ip, verdict, live?.action ?? null);
    }
    for (const outcome of [live, simulated]) {
      if (outcome !== null) {
        this.logger.log(
          `${outcome.simulated ? 'simulated ' : ''}${outcome.action} ${scope} ${actor.ip} rule=${outcome.ruleId} for ${outcome.durationSeconds}s score=${verdict.score} offences=${actor.offenceCount}`,
        );
      }
    }
    const made = [
      ...(live === null ? [] : decisionsFor(live, actor.ip, scope, blockable?.addresses ?? [])),
      ...(simulated === null ? [] : decisionsFor(simulated, actor.ip, scope, blockable?.addresses ?? [])),
    ];
    return { verdict, decision: made[0] ?? null, also: made.slice(1) };
  }

  prepare(events: readonly TaggedEvent[]): Promise<void> {
    if (!this.hostnames.enabled) {
      return Promise.resolve();
    }
    const names = new Set<string>();
    for (const event of events) {
      if (actorScope(event.sourceIp) === 'hostname') {
        names.add(event.sourceIp);
      }
    }
    return names.size === 0 ? Promise.resolve() : this.hostnames.prepare(names);
  }

  /**
   * The addresses a block on host name `name` is recorded on (resolved, not allow-listed), or
   * why it cannot be blocked.
   */
  private blockableAddresses(
    name: string,
    allows: readonly StoredDecision[],
  ): { addresses: string[]; why: string | null } {
    if (!this.hostnames.enabled) {
      return { addresses: [], why: 'a host name is blocked only as its addresses, with RESOLVE_HOSTNAMES=true' };
    }
    const resolved = this.hostnames.addressesOf(name) ?? [];
    const addresses = resolved.filter((ip) => this.policies.allowed(ip, allows) === null);
    if (addresses.length > 0) {
      return { addresses, why: null };
    }
    return {
      addresses,
      why: resolved.length === 0 ? `host name ${name} did not resolve` : `every address of ${name} is allow-listed`,
    };
  }

  /** An address's networks; a host name's resolved addresses cover it (their blocks are in force for it). */
  networksOf(ip: string): NetworkKeys {
    if (this.hostnames.enabled && actorScope(ip) === 'hostname') {
      return { counted: [], covering: [...(this.hostnames.addressesOf(ip) ?? [])] };
    }
    return this.policies.networksOf(ip);
  }

  /** Range escalation: N addresses of one network blocked within the window block the network. */
  async escalate(
    blocks: readonly StoredDecision[],
    ledger: BlockLedger,
    allows: readonly StoredDecision[],
  ): Promise<NewDecision[]> {
    const { policy } = this.policies;
    const escalation = policy.rangeEscalation;
    if (escalation === null) {
      return [];
    }
    const simulate = policy.simulate || escalation.simulate;
    const networks = new Set(blocks.map((block) => escalationNetwork(block.value, escalation)));
    await ledger.load([...networks]);
    for (const block of blocks) {
      ledger.noteBlock(
        escalationNetwork(block.value, escalation),
        block.value,
        block.createdAt,
        block.status !== 'active',
      );
    }
    const since = new Date(ledger.now.getTime() - escalation.withinSeconds * 1000);
    const out: NewDecision[] = [];
    for (const network of networks) {
      const inForce = ledger.decisionsOn(network).filter((d) => simulate || d.status === 'active');
      const found = escalate({
        network,
        blockedMembers: ledger.blockedMembers(network, since, simulate),
        inForce: strongestAction(inForce),
        allow: this.policies.allowed(network, allows),
        escalation,
        simulate,
      });
      if (found !== null) {
        this.logger.log(`${found.simulated ? 'simulated ' : ''}${found.action} range ${network} rule=${found.ruleId}`);
        out.push({
          action: found.action,
          origin: 'policy',
          status: found.simulated ? 'simulated' : 'active',
          ruleId: found.ruleId,
          reason: found.reason,
          expiresAt: new Date(ledger.now.getTime() + found.durationSeconds * 1000),
          scope: 'range',
          value: network,
        });
      }
    }
    return out;
  }
}

/** A stored decision as the policy reads it; an allow is not a decision in force against anyone. */
function activeOf(decision: StoredDecision | null): ActiveDecision | null {
  if (decision === null || decision.action === 'allow') {
    return null;
  }
  return { action: decision.action, ruleId: decision.ruleId, expiresAt: decision.expiresAt };
}

function strongestAction(decisions: readonly StoredDecision[]): Action | null {
  return decisions.reduce<Action | null>((best, d) => {
    const action = activeOf(d)?.action;
    return action !== undefined && (best === null || ACTION_SEVERITY[action] > ACTION_SEVERITY[best]) ? action : best;
  }, null);
}

function newDecision(outcome: Outcome, scope: DecisionScope): NewDecision {
  return {
    action: outcome.action,
    origin: 'policy',
    status: outcome.simulated ? 'simulated' : 'active',
    ruleId: outcome.ruleId,
    reason: outcome.reason,
    expiresAt: outcome.expiresAt,
    scope,
  };
}

const LOCAL_NOT_BLOCKABLE = 'a local account has no address to block';

/**
 * The decisions one outcome makes. A block on a host name (only with RESOLVE_HOSTNAMES=true and
 * addresses to block: the policy caps it to an alert otherwise) is a block on each address it
 * resolved to, the name in the reason, and an alert on the name that says so; the name's own
 * decision is never a block, so no bouncer or blocklist ever carries a host name.
 */
export function decisionsFor(
  outcome: Outcome,
  key: string,
  scope: ActorScope,
  addresses: readonly string[],
): NewDecision[] {
  if (scope !== 'hostname' || outcome.action !== 'block') {
    return [newDecision(outcome, scope)];
  }
  return [
    ...addresses.map((ip) => ({
      ...newDecision(outcome, 'ip'),
      value: ip,
      reason: `${outcome.reason} (host name ${key} resolves to ${ip})`,
    })),
    {
      ...newDecision(outcome, 'hostname'),
      action: 'alert',
      reason: `${outcome.reason}; blocked as the addresses it resolves to: ${addresses.join(', ')}`,
    },
  ];
}
