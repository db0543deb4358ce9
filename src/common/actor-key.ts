import { isIP } from 'node:net';
import { canonicalIp } from '../domain/ip';

/**
 * What an actor is keyed by. Most actors are addresses (canonical, common/ip.ts); IPv6 /64
 * aggregates are networks (CIDR text). Two kinds of actor have no address:
 *
 * - `hostname`: a log wrote a host name where the client goes (PAM's `rhost=`, sshd with
 *   UseDNS). Keyed by the name, lower-case, without a trailing dot. It can be alerted on; it is
 *   blocked only with RESOLVE_HOSTNAMES=true, and then as the addresses it resolves to.
 * - `local`: a failure with no remote party at all (sudo, su). Keyed `<user>@<host>`, both
 *   parts escaped to `[A-Za-z0-9._-]` (anything else as `%XX` of its UTF-8 bytes). Never blocked.
 *
 * The forms cannot collide: an address has no `@` and no `/` (and an IPv4 one only digits and
 * dots, which a host-name key never is; an IPv6 one a `:`, which neither other key has); a
 * network has a `/`, which no other key has; only a local key has an `@`.
 */
export type ActorScope = 'ip' | 'range' | 'hostname' | 'local';

/** Longest host name (RFC 1035, without the trailing dot). */
const MAX_HOST_NAME = 253;
/** Longest user (or non-host-name host) part of a local key, escaped: keys stay under 400 characters. */
const MAX_LOCAL_PART = 96;

const HOST_NAME = /^[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*$/;
const DIGITS_AND_DOTS = /^[\d.]+$/;
const SAFE = /^[A-Za-z0-9._-]$/;
const LOCAL_KEY = /^(?:[A-Za-z0-9._-]|%[0-9A-F]{2}){1,96}@[A-Za-z0-9._%-]{1,253}$/;

/** A host name as an actor key (lower-case, no trailing dot), or null when it is not one. */
export function hostnameKey(text: string | undefined): string | null {
  if (typeof text !== 'string') {
    return null;
  }
  const name = (text.endsWith('.') ? text.slice(0, -1) : text).toLowerCase();
  if (name.length === 0 || name.length > MAX_HOST_NAME || DIGITS_AND_DOTS.test(name) || !HOST_NAME.test(name)) {
    return null;
  }
  return name;
}

/** `[A-Za-z0-9._-]` kept, anything else as `%XX` of its UTF-8 bytes; cut before `max` characters. */
function escapePart(text: string, max: number): string {
  let out = '';
  for (const char of text) {
    const escaped = SAFE.test(char)
      ? char
      : [...Buffer.from(char, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    if (out.length + escaped.length > max) {
      break;
    }
    out += escaped;
  }
  return out === '' ? '-' : out;
}

/** `<user>@<host>` for a local failure; `-` stands for a part the line does not give. */
export function localKey(user: string | undefined, host: string | undefined): string {
  const who = user === undefined || user.trim() === '' ? '-' : escapePart(user, MAX_LOCAL_PART);
  const where =
    hostnameKey(host) ?? (host === undefined || host.trim() === '' ? '-' : escapePart(host, MAX_LOCAL_PART));
  return `${who}@${where}`;
}

/** The scope of a stored key (see the file header for why the forms cannot collide). */
export function actorScope(key: string): ActorScope {
  if (key.includes('/')) {
    return 'range';
  }
  if (key.includes('@')) {
    return 'local';
  }
  return isIP(key) === 0 ? 'hostname' : 'ip';
}

/** Whether a key names addresses that can be blocked (an address or a network). */
export function isAddressKey(key: string): boolean {
  const scope = actorScope(key);
  return scope === 'ip' || scope === 'range';
}

/**
 * The stored key for what an operator typed: any spelling of an address (canonical form), a
 * host name (lower-cased) or a local key as stored; null for anything else.
 */
export function actorKeyFrom(raw: string): string | null {
  if (typeof raw !== 'string' || raw.length > 400) {
    return null;
  }
  const ip = canonicalIp(raw);
  if (ip !== null) {
    return ip;
  }
  if (raw.includes('@')) {
    return LOCAL_KEY.test(raw) ? raw : null;
  }
  return hostnameKey(raw);
}
