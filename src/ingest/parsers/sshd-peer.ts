import { canonicalIp } from '../../domain/ip';

/**
 * Where the client is in an OpenSSH message. sshd writes the address it got from the socket
 * (`ssh_remote_ipaddr`) in a fixed place of each message; user names, banners, key comments
 * and disconnect reasons are the client's text and may contain anything, including another
 * address. Every reader here takes the address from sshd's own grammar, counted from the end
 * that sshd controls, and gives up rather than guess.
 */
export interface Peer {
  /** Canonical (common/ip.ts). */
  sourceIp?: string;
  sourcePort?: number;
  /** A host name where sshd wrote one (UseDNS, PAM rhost): kept, never keyed as an address. */
  sourceHost?: string;
  /** As sshd wrote it: untrusted, may be empty or contain spaces. */
  user?: string;
  invalidUser: boolean;
}

export type Who = Pick<Peer, 'user' | 'invalidUser'>;

export const NO_PEER: Peer = { invalidUser: false };

type Place = Pick<Peer, 'sourceIp' | 'sourcePort' | 'sourceHost'>;

/** One object shape for every peer (fields left undefined): the hot path stays monomorphic. */
function peerOf(who: Who, place: Place): Peer {
  return {
    sourceIp: place.sourceIp,
    sourcePort: place.sourcePort,
    sourceHost: place.sourceHost,
    user: who.user,
    invalidUser: who.invalidUser,
  };
}

const NOBODY: Who = { user: undefined, invalidUser: false };

// A DNS name as sshd would print it (auth_get_canonical_hostname lower-cases it).
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,62})(?:\.[a-z0-9_](?:[a-z0-9_-]{0,62}))*\.?$/i;

/** An address, or failing that a host name; `port` only when it is 0-65535. */
export function endpoint(hostText: string | undefined, portText?: string): Place {
  const port = portText === undefined ? undefined : parseInt(portText, 10);
  const sourcePort = port !== undefined && port <= 65535 ? port : undefined;
  if (hostText === undefined || hostText === '') {
    return { sourceIp: undefined, sourcePort: undefined, sourceHost: undefined };
  }
  const ip = canonicalIp(hostText.charCodeAt(0) === 91 && hostText.endsWith(']') ? hostText.slice(1, -1) : hostText);
  if (ip !== null) {
    return { sourceIp: ip, sourcePort, sourceHost: undefined };
  }
  const named = HOST_NAME.test(hostText) && !/^[\d.]+$/.test(hostText);
  return named
    ? { sourceIp: undefined, sourcePort, sourceHost: hostText.toLowerCase() }
    : { sourceIp: undefined, sourcePort: undefined, sourceHost: undefined };
}

/** `for [invalid user |illegal user ]<user> from …` (Failed, Accepted, maximum attempts, PAM). */
export function authUser(text: string): Who {
  if (text.startsWith('invalid user ') || text.startsWith('illegal user ')) {
    return { user: text.slice('invalid user '.length), invalidUser: true };
  }
  return { user: text, invalidUser: false };
}

const PEER_QUALIFIERS = [
  ['authenticating user ', false],
  ['invalid user ', true],
  ['user ', false],
] as const;

/** `Connection closed by authenticating user <user> <ip> port <n>` and friends. */
function peerUser(text: string): Who {
  for (const [qualifier, invalidUser] of PEER_QUALIFIERS) {
    if (text.startsWith(qualifier)) {
      return { user: text.slice(qualifier.length), invalidUser };
    }
  }
  return NOBODY;
}

/**
 * `<user> from <ip> …`: the address follows the LAST ` from `, which must end the message in
 * the given shape, so a user name such as `x from 1.1.1.1` cannot name another address.
 */
export function lastFrom(rest: string, tail: RegExp, who: (text: string) => Who): Peer | undefined {
  const at = rest.lastIndexOf(' from ');
  const match = at < 0 ? null : tail.exec(rest.slice(at));
  return match === null ? undefined : peerOf(who(rest.slice(0, at)), endpoint(match[1], match[2]));
}

// `ssh2: <key type> <fingerprint>`: the strict start of the key suffix of publickey and
// hostbased lines (auth2-pubkey.c, auth2-hostbased.c, auth.c format_method_key): SHA256 (6.8+),
// MD5-prefixed (FingerprintHash md5), the bare colon-hex MD5 of 6.3-6.7, `(null)` when no
// fingerprint could be made, and 7.x-8.x's certificate form `<type>-CERT ID <key id> …`, which
// has no fingerprint before the ID. Before 6.3 there is no suffix (AUTH_TAIL reads those).
const KEYED_TAIL =
  / from (\S+) port (\d{1,5}) ssh2: [A-Z0-9]+(?:-[A-Z0-9@.]+)* (?:SHA256:[A-Za-z0-9+/]{43}(?=$|[ ,])|(?:MD5:)?[0-9a-f]{2}(?::[0-9a-f]{2}){15}(?=$|[ ,])|\(null\)(?=$|[ ,])|(?<=-CERT(?:-V00)? )ID )/g;

/**
 * Accepted/Failed publickey lines end in a key suffix that can hold a certificate ID the
 * client chose, so there is attacker text on both sides of the address. Take the one
 * `from <ip> port <n> ssh2: <type> <fingerprint>` there is; when there are several, the line
 * is an attempt to frame someone and names no address.
 */
export function keyedFrom(rest: string): Peer {
  const matches = [...rest.matchAll(KEYED_TAIL)];
  if (matches.length !== 1) {
    return { ...NO_PEER, ...(authUser(rest).invalidUser ? { invalidUser: true } : {}) };
  }
  const [match] = matches;
  return peerOf(authUser(rest.slice(0, match.index)), endpoint(match[1], match[2]));
}

/** `[authenticating user|invalid user|user <user> ]<ip> port <n>`, the address last. */
export function peerAtEnd(body: string): Peer {
  const at = body.lastIndexOf(' port ');
  if (at < 0 || !/^ port \d{1,5}$/.test(body.slice(at))) {
    return body.includes(' ') ? NO_PEER : peerOf(NOBODY, endpoint(body));
  }
  const space = body.lastIndexOf(' ', at - 1);
  const qualified = space < 0 ? NOBODY : peerUser(body.slice(0, space));
  return peerOf(qualified, endpoint(body.slice(space + 1, at), body.slice(at + 6)));
}

/** `<ip> port <n>` or `<ip>` at the very start, sshd's or the client's text after it (`after`). */
export function peerAtStart(rest: string, after: RegExp): Peer {
  const match = /^(\S+?) port (\d{1,5})(?=[:, ]|$)|^(\S+?)(?=: |, | |$)/.exec(rest);
  if (match === null || !after.test(rest.slice(match[0].length))) {
    return NO_PEER;
  }
  return peerOf(NOBODY, endpoint(match[1] ?? match[3], match[2]));
}
