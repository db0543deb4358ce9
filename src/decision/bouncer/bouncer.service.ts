import { Injectable } from '@nestjs/common';
import { NumberedDecision } from '../../memory/enforcement-records';
import { MemoryService } from '../../memory/memory.service';
import { isBannable, LapiDecision, lapiFields, toLapiDecision } from './lapi-decision';
import { LapiFilter, matchesLapiFilter } from './lapi-filter';
import { computeStream, DELETION_OVERLAP_MS, endsAt, liveBans } from './stream';

/**
 * How far back a start-up pull looks for ended bans to list as deleted (CrowdSec lists every
 * expired decision still in its database, which it flushes after a week by default).
 */
export const STARTUP_LOOKBACK_MS = 7 * 24 * 3600 * 1000;

/** CrowdSec's stream answer: `null` rather than an empty list, as its LAPI writes it. */
export interface StreamBody {
  deleted: LapiDecision[] | null;
  new: LapiDecision[] | null;
}

function listOrNull(decisions: NumberedDecision[], now: Date): LapiDecision[] | null {
  return decisions.length === 0 ? null : decisions.map((d) => toLapiDecision(d, endsAt(d), now));
}

/**
 * The CrowdSec Local API's bouncer side. Each pull runs as a job in Memory's write transaction:
 * it numbers bans that have no bouncer id yet and marks newly ended ones with a generation,
 * reads, and moves the key's cursor to the highest of both, all at one instant: a ban
 * committed just before or after a pull is given (and taken back) exactly once.
 */
@Injectable()
export class BouncerService {
  constructor(private readonly memory: MemoryService) {}

  stream(keyHash: string, startup: boolean, filter: LapiFilter): Promise<StreamBody> {
    return this.memory.transact(async (tx) => {
      const cursor = startup ? null : await tx.bouncerCursor(keyHash);
      const endedAfter = new Date(
        cursor === null ? tx.now.getTime() - STARTUP_LOOKBACK_MS : cursor.lastPullAt.getTime() - DELETION_OVERLAP_MS,
      );
      const numbered = await tx.numberBans(endedAfter);
      const answer = computeStream({
        now: tx.now,
        cursor,
        bans: cursor === null ? await tx.numberedBansSince(endedAfter) : await tx.numberedBans(cursor.lastEndGen),
        allows: await tx.allows(endedAfter),
        include: (ban) => isBannable(ban) && matchesLapiFilter(lapiFields(ban), filter),
      });
      await tx.saveBouncerCursor(keyHash, { lastPullAt: tx.now, ...numbered });
      return { deleted: listOrNull(answer.deleted, tx.now), new: listOrNull(answer.new, tx.now) };
    });
  }

  /** Every ban in force that matches (no deduplication, as CrowdSec's `GET /v1/decisions`). */
  decisions(filter: LapiFilter): Promise<LapiDecision[] | null> {
    return this.memory.transact(async (tx) => {
      await tx.numberBans(tx.now);
      const live = liveBans(
        await tx.numberedBans(),
        await tx.allows(tx.now),
        tx.now,
        (ban) => isBannable(ban) && matchesLapiFilter(lapiFields(ban), filter),
      );
      return listOrNull(live, tx.now);
    });
  }
}
