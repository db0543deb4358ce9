import { Signal } from '../domain/signal';
import { ActorProfile } from '../domain/actor';
import { buildTriageContext, RecentEventInput } from './context-builder';
import { TriageContext } from './triage-context';

const T0 = Date.parse('2024-05-01T10:00:00.000Z');
const MIN = 60_000;

/**
 * Test fixture for the isolation proofs: one actor and `events` recent events with `text` in
 * every untrusted field (event fields, signal names, hashes, the decision's action) or, for
 * the baseline, benign values in the same places.
 */
export function hostileContext(text: string | undefined, events: number, hashKey: string): TriageContext {
  const t = (benign: string): string => text ?? benign;
  const recentEvents: RecentEventInput[] = Array.from({ length: events }, (_, i) => ({
    eventTime: new Date(T0 + i * MIN),
    eventType: t('ssh_login_failed'),
    outcome: t('failure'),
    signals: ['auth_failure', t('auth_failure')] as Signal[],
    user: t('alice'),
    url: t('/index.html'),
    userAgent: t('Mozilla/5.0'),
    message: t('Failed password for alice'),
    host: t('web-1'),
  }));
  const actor: ActorProfile = {
    ip: '203.0.113.7',
    firstSeen: new Date(T0),
    lastSeen: new Date(T0 + (events - 1) * MIN),
    eventCount: events,
    failureCount: events,
    signalCounts: { auth_failure: events, [t('scanner')]: 3 },
    signalTimeline: { auth_failure: [T0, T0 + 5 * MIN], [t('scanner')]: [T0 + 4 * MIN] },
    userHashes: [t('u1'), 'u2'],
    pathHashes: [t('p1')],
    offenceCount: 1,
  };
  const activeDecision = { action: t('block'), ruleId: 'ssh-brute-force' };
  return buildTriageContext({ actor, recentEvents, activeDecision, windowSeconds: 600, hashKey });
}
