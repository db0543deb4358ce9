import { mostSevere, StoredDecision } from '../domain/decision';
import { PlannedBlockLedger } from './block-ledger';
import { decisionFromRow, profileFromRow } from './event-rows';
import { PlannedWrites, StoredActor, unrevokedAfter } from './planned-writes';
import { StoreReader } from './sqlite-connections';
import { BlockLedger, DecisionsInForce, TriageStore } from './triage-plan';

/** What a plan reads: through `reader`, with `pending` (flushes planned and not yet committed) laid over. */
export class PlannedTriageStore implements TriageStore {
  constructor(
    private readonly reader: StoreReader,
    private readonly pending: PlannedWrites,
    /** The committed actors, when a throwaway store keeps them in memory instead of the table. */
    private readonly actorsInMemory: ReadonlyMap<string, StoredActor> | null = null,
  ) {}

  /** Stored actors, with the ones the writes being persisted will store laid over them. */
  async loadActors(keys: string[]): Promise<Map<string, StoredActor>> {
    const { reader, pending, actorsInMemory } = this;
    const stored = new Map<string, StoredActor>();
    if (actorsInMemory !== null) {
      for (const key of keys) {
        const kept = actorsInMemory.get(key);
        if (kept !== undefined) {
          stored.set(key, kept);
        }
      }
    } else {
      const inList = reader.dialect.inJsonList;
      for (const row of await reader.all(`SELECT * FROM actors WHERE ip ${inList}`, [JSON.stringify(keys)])) {
        const loaded = profileFromRow(row);
        stored.set(loaded.profile.ip, loaded);
      }
    }
    for (const key of keys) {
      const planned = pending.actors.get(key);
      if (planned !== undefined) {
        stored.set(key, planned);
      }
    }
    return stored;
  }

  /**
   * Unrevoked decisions on these keys and on any range (few; the ranges covering an address
   * are looked up among them) that were in force at some time from `from` (the write's
   * earliest event) on: those in force now, published and simulated apart, and the published
   * ones that expired meanwhile. Allows are not "in force" against anyone: every active
   * manual allow comes apart, whatever its value. The decisions of the writes being persisted
   * count as stored.
   */
  async loadInForce(keys: string[], now: Date, from: Date): Promise<DecisionsInForce> {
    const { reader, pending } = this;
    const active = new Map<string, StoredDecision>();
    const simulated = new Map<string, StoredDecision>();
    const expired = new Map<string, StoredDecision[]>();
    const since = Math.min(from.getTime(), now.getTime());
    // Status and action are filtered here, not in SQL: with `status = ?` in the WHERE clause
    // SQLite prefers idx_decisions_status and reads every active decision on every write.
    // One statement, one round trip: each branch of the UNION uses its own index.
    const unexpired = 'revoked_at IS NULL AND expires_at > ?';
    const rows = await reader.all(
      `SELECT * FROM decisions WHERE value ${reader.dialect.inJsonList} AND ${unexpired}
       UNION ALL SELECT * FROM decisions WHERE scope = 'range' AND ${unexpired}
       UNION ALL SELECT * FROM decisions WHERE action = 'allow' AND ${unexpired}`,
      [JSON.stringify(keys), since, since, now.getTime()],
    );
    const found = new Map(rows.map((row) => decisionFromRow(row)).map((d) => [d.id, d]));
    for (const decision of pending.decisions) {
      found.set(decision.id, decision);
    }
    const wanted = new Set(keys);
    const allows: StoredDecision[] = [];
    for (const decision of found.values()) {
      if (decision.action === 'allow') {
        if (decision.status === 'active' && unrevokedAfter(decision, now.getTime())) {
          allows.push(decision);
        }
        continue;
      }
      if (
        !(wanted.has(decision.value) || decision.scope === 'range') ||
        !unrevokedAfter(decision, since) ||
        (decision.status !== 'active' && decision.status !== 'simulated')
      ) {
        continue;
      }
      if (decision.expiresAt <= now) {
        if (decision.status === 'active') {
          expired.set(decision.value, [...(expired.get(decision.value) ?? []), decision]);
        }
        continue;
      }
      const map = decision.status === 'active' ? active : simulated;
      map.set(decision.value, mostSevere(map.get(decision.value), decision));
    }
    return { active, simulated, expired, allows };
  }

  blockLedger(now: Date, made: readonly StoredDecision[]): BlockLedger {
    return new PlannedBlockLedger(this.reader, now, this.pending, made);
  }
}
