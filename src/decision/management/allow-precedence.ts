import { v7 as timeOrderedId } from 'uuid';
import { MemoryTx } from '../../memory/memory-tx';
import { StoredDecision } from '../../domain/decision';
import { subtractNetworks, valuesOverlap } from './cidr-split';
import { decisionTarget } from './coverage';

/*
 * Allow-lists win over blocks in every export. Bouncers (CrowdSec's firewall, nginx and custom
 * bouncers), nginx `deny` lists and ipset `hash:net` sets all enforce a list of addresses and
 * networks to ban; none of them reads an exception. So an allow inside a banned network is
 * enforced by taking it out of the ban: the ban is ended and the rest of its network is banned
 * again as the fewest CIDRs that tile it (a /24 less one address is 8 networks), each a new
 * decision that keeps the original's rule, reason, origin and expiry. Bouncers receive the old
 * ban as deleted and the pieces as new at their next pull.
 */

export interface Change {
  reason: string;
  by: string;
}

export const SUPERSEDED_BY_ALLOW = 'superseded by manual allow';

/** What a write made and ended. */
export interface Carve {
  revoked: StoredDecision[];
  created: StoredDecision[];
}

export async function revokeIn(tx: MemoryTx, decision: StoredDecision, change: Change): Promise<StoredDecision> {
  await tx.updateDecision(
    decision.id,
    { revokedAt: tx.now, revokeReason: change.reason },
    { who: change.by, change: 'revoked', reason: change.reason },
  );
  return { ...decision, revokedAt: tx.now, revokeReason: change.reason };
}

/**
 * Ends every decision in `inForce` that shares an address with `hole`: revoked when `hole`
 * covers it, else replaced by decisions on the rest of its network. `why` is the audit reason.
 */
export async function carveOut(
  tx: MemoryTx,
  inForce: readonly StoredDecision[],
  hole: string,
  change: Change,
): Promise<Carve> {
  const carve: Carve = { revoked: [], created: [] };
  for (const decision of inForce.filter((d) => valuesOverlap(d.value, hole))) {
    carve.revoked.push(await revokeIn(tx, decision, change));
    for (const value of subtractNetworks(decision.value, [hole])) {
      const piece: StoredDecision = {
        ...decision,
        id: timeOrderedId(),
        ...decisionTarget(value),
        createdAt: tx.now,
        revokedAt: null,
        revokeReason: null,
      };
      await tx.insertDecision(piece, { who: change.by, reason: `split from ${decision.id}: ${change.reason}` });
      carve.created.push(piece);
    }
  }
  return carve;
}

/** Manual allows in force that share an address with `value`. */
export async function overlappingAllows(tx: MemoryTx, value: string): Promise<StoredDecision[]> {
  return (await tx.currentWithAction('allow')).filter((allow) => valuesOverlap(allow.value, value));
}

/** `network (manual allow <id> until <time>)` for a 409's message. */
export function describeAllow(allow: StoredDecision): string {
  return `${allow.value} (manual allow ${allow.id} until ${allow.expiresAt.toISOString()})`;
}
