import { StoredDecision } from '../domain/decision';

/** How a decision came to be published (or to wait for an analyst) in a committed write. */
export type DecisionChangeKind = 'created' | 'approved';

/** A decision a committed write created, or a pending one it approved. */
export interface DecisionNotice {
  change: DecisionChangeKind;
  decision: StoredDecision;
}

/** One flush of the write path, as it ended. */
export interface FlushReport {
  /** Events written (0 for a flush of jobs only). */
  events: number;
  /** Requests and jobs that shared the transaction. */
  items: number;
  planMs: number;
  persistMs: number;
  committed: boolean;
}

/**
 * Told about the write path after the fact (metrics, notifications). Called synchronously
 * after each commit or rollback: an observer must not block, and a throwing one is ignored
 * (logged), so that nothing it does can fail or slow a write.
 */
export interface WriteObserver {
  flushed?(report: FlushReport): void;
  /** Only what committed: a job rolled back to its savepoint tells nothing. Simulated decisions included. */
  decided?(notices: readonly DecisionNotice[]): void;
}
