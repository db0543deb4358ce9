import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { ContextService } from '../context/context.service';
import { LlmProvider } from '../llm/llm-provider';
import { ActorProfile } from '../memory/actor-profile';
import { MemoryService } from '../memory/memory.service';
import { ActorEvaluator, Evaluation, StoredDecision } from '../memory/records';
import { decide } from './policy';
import { PolicyService } from './policy.service';

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
    private readonly llm: LlmProvider,
    private readonly policies: PolicyService,
  ) {
    super();
  }

  onModuleInit(): void {
    this.memory.useEvaluator(this);
  }

  async evaluate(actor: ActorProfile, inForce: StoredDecision | null, now: Date): Promise<Evaluation> {
    const verdict = await this.llm.judge(this.context.fromProfile(actor, inForce));
    const active =
      inForce === null ? null : { action: inForce.action, ruleId: inForce.ruleId, expiresAt: inForce.expiresAt };
    const outcome = decide({ verdict, actor, active, now }, this.policies.policy);
    if (outcome === null) {
      return { verdict, decision: null };
    }
    this.logger.log(
      `${outcome.action} ${actor.ip} rule=${outcome.ruleId} for ${outcome.durationSeconds}s score=${verdict.score} offences=${actor.offenceCount}`,
    );
    return {
      verdict,
      decision: {
        action: outcome.action,
        origin: 'policy',
        status: 'active',
        ruleId: outcome.ruleId,
        reason: outcome.reason,
        expiresAt: outcome.expiresAt,
      },
    };
  }
}
