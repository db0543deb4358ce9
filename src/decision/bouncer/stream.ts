import { covers } from '../management/coverage';

/** A published ban, as far as the stream logic needs it. */
export interface Ban {
  /** The stable integer id bouncers see (CrowdSec's decision id). */
  bouncerId: number;
  /** The generation of the first pull that found it ended; null while in force. */
  endedGen: number | null;
  value: string;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** A manual allow, as far as the stream logic needs it. */
export interface Allow {
  value: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
}

/** Where one bouncer key's last successful pull left off. */
export interface StreamCursor {
  lastPullAt: Date;
  /** The highest bouncer id handed out when it pulled: every ban in force then had one. */
  lastSeq: number;
  /** The highest ended-generation when it pulled: every ban ended by then had one. */
  lastEndGen: number;
}

export interface StreamInput<B extends Ban> {
  now: Date;
  /** null on `startup=true`, or when this key has never pulled. */
  cursor: StreamCursor | null;
  /** Every ban in force now, and those that ended since the cursor (or, on start-up, in the look-back window). */
  bans: B[];
  /** Every allow in force now, and those that ended inside the look-back window. */
  allows: Allow[];
  /** The bouncer's filters (scopes, origins, scenarios…). */
  include: (ban: B) => boolean;
}

export interface StreamAnswer<B extends Ban> {
  new: B[];
  deleted: B[];
}

/**
 * A pull loads what ended up to this long before the last pull, as CrowdSec looks back for
 * deletions, so that an end stamped a little early by a clock step is still read. (Which ends
 * are new is decided by generation, not by time.)
 */
export const DELETION_OVERLAP_MS = 2000;

/** When a decision stopped (or will stop) being in force: revoked or expired, whichever first. */
export function endsAt(decision: { expiresAt: Date; revokedAt: Date | null }): Date {
  return decision.revokedAt !== null && decision.revokedAt < decision.expiresAt
    ? decision.revokedAt
    : decision.expiresAt;
}

function inForceAt(decision: { expiresAt: Date; revokedAt: Date | null }, at: Date): boolean {
  return endsAt(decision) > at;
}

function allowedAt(value: string, allows: Allow[], at: Date): boolean {
  return allows.some((allow) => allow.createdAt <= at && inForceAt(allow, at) && covers(allow.value, value));
}

/** What deciding whether a ban is enforced needs (no id). */
export type Enforceable = Pick<Ban, 'value' | 'expiresAt' | 'revokedAt'>;

/** Bans a bouncer should enforce now: in force, not covered by an allow in force, and wanted. */
export function liveBans<B extends Enforceable>(
  bans: B[],
  allows: Allow[],
  now: Date,
  include: (ban: B) => boolean,
): B[] {
  return bans.filter((ban) => inForceAt(ban, now) && include(ban) && !allowedAt(ban.value, allows, now));
}

function outlasts(a: Ban, b: Ban): boolean {
  const later = endsAt(a).getTime() - endsAt(b).getTime();
  return later > 0 || (later === 0 && a.bouncerId > b.bouncerId);
}

/** One ban per value, the one that ends last (CrowdSec's deduplication), in bouncer id order. */
export function longestPerValue<B extends Ban>(bans: B[]): B[] {
  const best = new Map<string, B>();
  for (const ban of bans) {
    const current = best.get(ban.value);
    if (current === undefined || outlasts(ban, current)) {
      best.set(ban.value, ban);
    }
  }
  return [...best.values()].sort((a, b) => a.bouncerId - b.bouncerId);
}

/**
 * What one pull of `/v1/decisions/stream` answers, as CrowdSec's LAPI does. On start-up (no
 * cursor): every ban to enforce as `new`, and as `deleted` the last ban of each value that no
 * longer has one (ended inside the look-back window, or withheld by an allow). Afterwards,
 * against what the key was given at its last pull (numbered by then, and not under an allow
 * then): `new` holds the bans to enforce it was not given; `deleted` holds, for each value that
 * no longer has a ban to enforce, the last ban that ended since (by generation) or that it was
 * given and an allow now covers. A value that still has a ban is never listed as deleted.
 */
export function computeStream<B extends Ban>(input: StreamInput<B>): StreamAnswer<B> {
  const { now, cursor, bans, allows, include } = input;
  const live = liveBans(bans, allows, now, include);
  const liveValues = new Set(live.map((ban) => ban.value));
  if (cursor === null) {
    return {
      new: longestPerValue(live),
      deleted: longestPerValue(bans.filter((ban) => include(ban) && !liveValues.has(ban.value))),
    };
  }
  const given = (ban: B): boolean =>
    ban.bouncerId <= cursor.lastSeq && !allowedAt(ban.value, allows, cursor.lastPullAt);
  const gone = (ban: B): boolean =>
    inForceAt(ban, now) ? given(ban) : ban.endedGen !== null && ban.endedGen > cursor.lastEndGen;
  return {
    new: longestPerValue(live).filter((ban) => !given(ban)),
    deleted: longestPerValue(bans.filter((ban) => include(ban) && !liveValues.has(ban.value) && gone(ban))),
  };
}
