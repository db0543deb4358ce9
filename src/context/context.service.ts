import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { ActorProfile } from '../domain/actor';
import { MemoryService } from '../memory/memory.service';
import { StoredDecision } from '../domain/decision';
import { buildFeatures, buildTriageContext, TriageContextInput } from './context-builder';
import { TriageContext, TriageFeatures } from './triage-context';

/** Look-back window of the features, in seconds of event time. */
export const CONTEXT_WINDOW_SECONDS = 600;
const RECENT_EVENTS = 10;

/**
 * Builds the TriageContext of an actor: the only path from stored events to a verdict. The
 * hash key is secret and per process, so an attacker cannot precompute the short hashes.
 */
@Injectable()
export class ContextService {
  private readonly hashKey = randomBytes(32).toString('hex');

  constructor(private readonly memory: MemoryService) {}

  /** From the profile alone: cheap enough for the ingest path. */
  fromProfile(actor: ActorProfile, inForce: StoredDecision | null): TriageContext {
    return buildTriageContext(this.profileInput(actor, inForce));
  }

  /** The features alone (no prose summary), from the profile: what the local heuristic reads. */
  featuresOf(actor: ActorProfile, inForce: StoredDecision | null): TriageFeatures {
    return buildFeatures(this.profileInput(actor, inForce));
  }

  private profileInput(actor: ActorProfile, inForce: StoredDecision | null): TriageContextInput {
    return {
      actor,
      recentEvents: [],
      activeDecision: inForce === null ? null : { action: inForce.action, ruleId: inForce.ruleId },
      windowSeconds: CONTEXT_WINDOW_SECONDS,
      hashKey: this.hashKey,
    };
  }

  /** With the actor's latest events, sanitised: for the analyst and for the API. */
  async withHistory(actor: ActorProfile, inForce: StoredDecision | null): Promise<TriageContext> {
    const events = await this.memory.recentEvents(actor.ip, RECENT_EVENTS);
    return buildTriageContext({
      actor,
      recentEvents: events.map((event) => ({
        eventTime: event.eventTime,
        eventType: event.eventType ?? undefined,
        outcome: event.outcome,
        signals: event.signals as TriageContext['features']['recentEvents'][number]['signals'],
        user: event.user ?? undefined,
        url: event.url ?? undefined,
        userAgent: event.userAgent ?? undefined,
        message: event.message ?? undefined,
        host: event.host ?? undefined,
      })),
      activeDecision: inForce === null ? null : { action: inForce.action, ruleId: inForce.ruleId },
      windowSeconds: CONTEXT_WINDOW_SECONDS,
      hashKey: this.hashKey,
    });
  }
}
