import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ContextService } from '../context/context.service';
import { ActorProfile } from '../domain/actor';
import { MemoryService } from '../memory/memory.service';
import { judgeHeuristically } from '../llm/heuristic';
import { ActorEvaluator, BlockLedger, Evaluation, EvaluationContext, NetworkKeys } from '../memory/records';
import { Action, ACTION_SEVERITY, NewDecision, StoredDecision } from '../domain/decision';
import { ActiveDecision, decide, Outcome } from './policy';
import { escalate, escalationNetwork, isNetworkKey, networkAddress } from './policy-networks';
import { PolicyService } from './policy.service';
import { ReviewService } from './review/review.service';

/**
 * Judges an actor after its new events and applies the policy. Called by Memory inside the
 * write transaction, so the decision commits with the events that caused it.
 */
@Injectable()
export class DecisionService extends ActorEvaluator implements OnModuleInit {
  private readonly logger = new Logger(DecisionService.name);

  constructor(
    private readonly memory: MemoryService,
    private readonly context: ContextService,
    private readonly policies: PolicyService,
    private readonly review: ReviewService,
  ) {
    super();
  }

  onModuleInit(): void {
    this.memory.useEvaluator(this);
  }

  evaluate(actor: ActorProfile, inForce: StoredDecision | null, now: Date, context?: EvaluationContext): Evaluation {
    const network = isNetworkKey(actor.ip);
    // The immediate verdict is the local heuristic's, from the features alone (it reads no prose).
    // A network's aggregate is judged as the address it starts with: the analyst reviews actors.
    const verdict = judgeHeuristically(
      this.context.featuresOf(network ? { ...actor, ip: networkAddress(actor.ip) } : actor, inForce),
    );
    const { live, simulated } = decide(
      {
        verdict,
        actor,
        active: activeOf(inForce),
        simulated: activeOf(context?.simulated ?? null),
        since: context?.since,
        expired: (context?.expired ?? []).map(activeOf).filter((d): d is ActiveDecision => d !== null),
        allow: this.policies.allowed(actor.ip, context?.allows ?? []),
        now,
      },
      this.policies.policy,
    );
    if (!network) {
      // The immediate decision is the heuristic's; Claude may review it afterwards, off this path.
      this.review.consider(actor.ip, verdict, live?.action ?? null);
    }
    const scope = network ? ('range' as const) : ('ip' as const);
    for (const outcome of [live, simulated]) {
      if (outcome !== null) {
        this.logger.log(
          `${outcome.simulated ? 'simulated ' : ''}${outcome.action} ${scope} ${actor.ip} rule=${outcome.ruleId} for ${outcome.durationSeconds}s score=${verdict.score} offences=${actor.offenceCount}`,
        );
      }
    }
    return {
      verdict,
      decision: live === null ? null : newDecision(live, scope),
      also: simulated === null ? [] : [newDecision(simulated, scope)],
    };
  }

  override networksOf(ip: string): NetworkKeys {
    return this.policies.networksOf(ip);
  }

  /** Range escalation: N addresses of one network blocked within the window block the network. */
  override async escalate(
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

function newDecision(outcome: Outcome, scope: 'ip' | 'range'): NewDecision {
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
