import { hostnameKey } from '../common/actor-key';
import { LIMITS } from '../domain/event';
import type { NormalisedEvent } from '../domain/event';
import { canonicalIp, inCidrs, ParsedCidr } from '../domain/ip';
import { resolveEventTime } from './event-time';
import { fail, LineFields, sshdOutcome } from './parsers/fields';
import type { SshdFacts } from './parsers/sshd';
import { sshdAttempt } from './signals/attempt';

export type ParsedRecord = { ok: true; event: NormalisedEvent } | { ok: false; reason: string };

/**
 * What any input says about one event, before normalisation: the fields a line parser reads
 * (parsers/fields.ts), or those of a validated JSON record (record.ts), which may also carry
 * the event as received (ECS `event.original`) and a time as written (text or epoch number).
 */
export interface EventFields extends Omit<LineFields, 'time'> {
  time?: Date | string | number;
  original?: string;
}

export interface NormaliseOptions {
  now: Date;
  /** false: keep event times ahead of `now` as written (a replay); default true (live ingest). */
  clampFuture?: boolean;
  /** Proxies whose X-Forwarded-For is believed (TRUST_PROXY); none: the header is ignored. */
  trustedProxies?: readonly ParsedCidr[];
  /** The reason when nothing names an address (the input's own words); default NO_SOURCE_ADDRESS. */
  noAddress?: string;
}

export const NO_SOURCE_ADDRESS =
  'no usable source address: the line has no address field and no sshd message naming one';

const TRUNCATED = '…';

/** At most `limit` UTF-16 units, the last one `…` when cut; a surrogate pair is not split. */
export function clip(text: string | undefined, limit: number): string | undefined {
  if (text === undefined || text.length <= limit) {
    return text;
  }
  const end = limit - 1;
  const high = text.charCodeAt(end - 1);
  return text.slice(0, high >= 0xd800 && high <= 0xdbff ? end - 1 : end) + TRUNCATED;
}

/**
 * Fields → a normalised event, or the reason it cannot be used: the one normalisation every
 * input goes through (JSON records, raw lines in every format, HEC, syslog, the replay).
 *
 * - The address is the input's own field, which must be an IP address; without one, an sshd
 *   message naming one supplies it; without that, a non-address key (a host name, a local
 *   user@host: common/actor-key.ts). From a trusted proxy, X-Forwarded-For names the client.
 * - An sshd message about another address is another actor's: its facts fill nothing here.
 * - The time goes through resolveEventTime (none: `now`; too far ahead: `now`, unless a replay).
 * - Every text field over its LIMITS is cut to the limit, its last character `…` (clip), however
 *   the event came: a JSON record's DTO refuses a field over the limit, but a field put together
 *   from two (ECS url.path + url.query) or read from a message can still be longer.
 */
export function toEvent(fields: EventFields, options: NormaliseOptions): ParsedRecord {
  const sshd = fields.sshd ?? null;
  const sourceIp =
    forwardedClient(
      fields.ip !== undefined ? canonicalIp(fields.ip) : (sshd?.sourceIp ?? null),
      fields,
      options.trustedProxies,
    ) ?? nonAddressKey(fields, sshd);
  if (sourceIp === null) {
    return fail(
      fields.ip !== undefined
        ? `${fields.ipField ?? 'source'} is not a valid IP address`
        : noAddress(sshd, options.noAddress ?? NO_SOURCE_ADDRESS),
    );
  }
  const eventTime = resolveEventTime(fields.time, options.now, options.clampFuture);
  if (typeof eventTime === 'string') {
    return fail(eventTime);
  }
  const facts = sshd !== null && (sshd.sourceIp === undefined || sshd.sourceIp === sourceIp) ? sshd : null;
  // Its attempt counts for the actor it names: its address, or its host name when it has none.
  const ownActor = facts !== null && (facts.sourceIp ?? hostnameKey(facts.sourceHost)) === sourceIp;
  return {
    ok: true,
    event: {
      eventTime,
      sourceIp,
      sourcePort: fields.port ?? (facts?.sourceIp === sourceIp ? facts.sourcePort : undefined),
      eventType: clip(fields.eventType ?? (facts !== null ? `ssh_${facts.kind}` : undefined), LIMITS.eventType),
      outcome: fields.outcome ?? sshdOutcome(facts),
      host: clip(fields.host, LIMITS.host),
      user: clip(fields.user ?? facts?.user, LIMITS.user),
      message: clip(fields.message, LIMITS.message),
      url: clip(fields.url, LIMITS.url),
      httpMethod: fields.httpMethod,
      httpStatus: fields.httpStatus,
      userAgent: clip(fields.userAgent, LIMITS.userAgent),
      original: clip(fields.original, LIMITS.message),
      attempt: fields.attempt ?? (ownActor ? sshdAttempt(facts, fields.host) : undefined),
      referer: clip(fields.referer, LIMITS.url),
      httpHeaders: fields.httpHeaders,
    },
  };
}

/** Why an input is not keyed: an sshd message that names no client, else `otherwise`. */
function noAddress(sshd: SshdFacts | null, otherwise: string): string {
  return sshd === null || sshd.kind === 'other'
    ? otherwise
    : `no usable source address: sshd's ${sshd.kind} message names no client address`;
}

/**
 * The actor of an input without an address: the format's own non-address key (a service's host
 * name or local failure), else the host name sshd wrote where the client goes (common/actor-key.ts).
 */
function nonAddressKey(fields: EventFields, sshd: SshdFacts | null): string | null {
  if (fields.ip !== undefined) {
    return null;
  }
  return fields.actorKey ?? (sshd !== null && sshd.kind !== 'other' ? hostnameKey(sshd.sourceHost) : null);
}

/** The right-most X-Forwarded-For address that is not a trusted proxy, when `ip` is one. */
function forwardedClient(
  ip: string | null,
  fields: EventFields,
  trusted: readonly ParsedCidr[] | undefined,
): string | null {
  if (ip === null || fields.forwardedFor === undefined || !trusted?.length || !inCidrs(ip, trusted)) {
    return ip;
  }
  const hops = fields.forwardedFor.split(',').slice(-16).reverse();
  for (const hop of hops) {
    const address = canonicalIp(hop.trim());
    if (address === null) {
      return ip;
    }
    if (!inCidrs(address, trusted)) {
      return address;
    }
  }
  return ip;
}
