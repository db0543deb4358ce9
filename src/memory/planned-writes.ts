import { profileFromRow } from './event-rows';
import { StoredDecision } from '../domain/decision';

/** An actor as stored: its profile and the last verdict recorded for it. */
export type StoredActor = ReturnType<typeof profileFromRow>;

/** A row of the `network_blocks` ledger: `ip`, an address of `network`, blocked at `at` (ms). */
export interface LedgerNote {
  network: string;
  ip: string;
  simulated: boolean;
  at: number;
}

/**
 * What a planned write will store. The next write may be planned before this one commits: it
 * reads the committed state and lays these on top (they are newer), so it sees what it would
 * have seen had it waited.
 */
export interface PlannedWrites {
  actors: Map<string, StoredActor>;
  decisions: StoredDecision[];
  ledger: readonly LedgerNote[];
}

export const NOTHING_PLANNED: PlannedWrites = { actors: new Map(), decisions: [], ledger: [] };

/** Several planned writes, oldest first, as one: a later write's actor state replaces an earlier one's. */
export function laidOver(writes: readonly PlannedWrites[]): PlannedWrites {
  if (writes.length === 0) {
    return NOTHING_PLANNED;
  }
  if (writes.length === 1) {
    return writes[0];
  }
  return {
    actors: new Map(writes.flatMap((w) => [...w.actors])),
    decisions: writes.flatMap((w) => w.decisions),
    ledger: writes.flatMap((w) => w.ledger),
  };
}

/** Unrevoked and expiring after `after` (ms): in force at `after`, or later. */
export function unrevokedAfter(decision: StoredDecision, after: number): boolean {
  return decision.revokedAt === null && decision.expiresAt.getTime() > after;
}
