import { ActorProfile } from '../domain/actor';
import { ActorEntity } from './entities/actor.entity';
import { DecisionEntity } from './entities/decision.entity';
import { VerdictEntity } from './entities/verdict.entity';
import { StoredVerdict, Verdict } from '../domain/verdict';
import { DecisionAction, DecisionOrigin, StoredDecision } from '../domain/decision';

export function toActorProfile(row: ActorEntity): ActorProfile {
  return {
    ip: row.ip,
    firstSeen: row.firstSeen,
    lastSeen: row.lastSeen,
    eventCount: row.eventCount,
    failureCount: row.failureCount,
    signalCounts: row.signalCounts,
    signalTimeline: row.signalTimeline,
    userHashes: row.userHashes,
    pathHashes: row.pathHashes,
    offenceCount: row.offenceCount,
    authSessions: row.authSessions,
    signalPaths: row.signalPaths,
  };
}

export function toStoredDecision(row: DecisionEntity): StoredDecision {
  return {
    id: row.id,
    scope: row.scope as StoredDecision['scope'],
    value: row.value,
    status: row.status as StoredDecision['status'],
    createdBy: row.createdBy,
    action: row.action as DecisionAction,
    origin: row.origin as DecisionOrigin,
    ruleId: row.ruleId,
    reason: row.reason,
    verdictId: row.verdictId,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    revokeReason: row.revokeReason,
  };
}

export function toStoredVerdict(row: VerdictEntity): StoredVerdict {
  return {
    id: row.id,
    actorIp: row.actorIp,
    createdAt: row.createdAt,
    level: row.level as Verdict['level'],
    score: row.score,
    categories: row.categories as Verdict['categories'],
    techniques: row.techniques,
    confidence: row.confidence,
    rationale: row.rationale,
    provider: row.provider as Verdict['provider'],
    model: row.model ?? undefined,
    latencyMs: row.latencyMs ?? undefined,
    inputTokens: row.inputTokens ?? undefined,
    outputTokens: row.outputTokens ?? undefined,
  };
}
