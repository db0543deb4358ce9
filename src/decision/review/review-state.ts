import { ACTION_SEVERITY, StoredDecision } from '../../domain/decision';

/** The most severe published block, alert or monitor among `decisions` (the longest on a tie). */
export function liveDecision(decisions: readonly StoredDecision[]): StoredDecision | null {
  let best: StoredDecision | null = null;
  let bestSeverity = 0;
  for (const d of decisions) {
    const action = d.action;
    if (action === 'allow' || d.status !== 'active') {
      continue;
    }
    const severity = ACTION_SEVERITY[action];
    if (best === null || severity > bestSeverity || (severity === bestSeverity && d.expiresAt > best.expiresAt)) {
      best = d;
      bestSeverity = severity;
    }
  }
  return best;
}
