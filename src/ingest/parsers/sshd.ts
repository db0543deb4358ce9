import { canonicalIp } from '../../common/ip';

export type SshdEventKind =
  | 'failed_password'
  | 'failed_publickey'
  | 'failed_other'
  | 'invalid_user'
  | 'accepted'
  | 'pam_auth_failure'
  | 'max_auth_attempts'
  | 'too_many_auth_failures'
  | 'preauth_disconnect'
  | 'no_identification'
  | 'bad_protocol'
  | 'other';

export interface SshdFacts {
  kind: SshdEventKind;
  /** Canonical (common/ip.ts); undefined when the line names no address, or a host name. */
  sourceIp?: string;
  sourcePort?: number;
  /** As sshd wrote it: untrusted, may be empty or contain spaces. */
  user?: string;
  invalidUser: boolean;
}

/** sshd formats its messages into an 8 KiB buffer; anything longer was not written by it. */
export const MAX_SSHD_MESSAGE_LENGTH = 8192;

type Peer = Omit<SshdFacts, 'kind'>;
type Who = Pick<SshdFacts, 'user' | 'invalidUser'>;

interface Rule {
  prefix: RegExp;
  parse(rest: string, match: RegExpExecArray): SshdFacts;
}

const NO_PEER: Peer = { invalidUser: false };
const PREAUTH = ' [preauth]';
const SSHD_TAG = /^sshd(?:-session|-auth)?(?:\[\d{1,10}\])?$/;
const AUTH_TAIL = /^ from (\S+) port (\d{1,5})(?: ssh2)?(?: \[preauth\])?$/;
const FROM_TAIL = /^ from (\S+)(?: port (\d{1,5}))?(?: \[preauth\])?$/;
// `ssh2: <key type> <fingerprint>`: the strict start of the key suffix of publickey lines.
const KEYED_TAIL =
  / from (\S+) port (\d{1,5}) ssh2: [A-Z0-9]+(?:-[A-Z0-9]+)* (?:SHA256:[A-Za-z0-9+/]{43}|MD5(?::[0-9a-f]{2}){16})(?=$|[ ,])/g;

function endpoint(ipText: string | undefined, portText: string | undefined): Pick<Peer, 'sourceIp' | 'sourcePort'> {
  const port = portText === undefined ? undefined : parseInt(portText, 10);
  return {
    sourceIp: ipText === undefined ? undefined : (canonicalIp(ipText) ?? undefined),
    sourcePort: port !== undefined && port <= 65535 ? port : undefined,
  };
}

/** `for [invalid user ]<user> from …` (Failed, Accepted, maximum attempts). */
function authUser(text: string): Who {
  return text.startsWith('invalid user ')
    ? { user: text.slice('invalid user '.length), invalidUser: true }
    : { user: text, invalidUser: false };
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
  return { invalidUser: false };
}

/**
 * `<user> from <ip> …`: the address follows the LAST ` from `, which must end the message in
 * the given shape, so a user name such as `x from 1.1.1.1` cannot name another address.
 */
function lastFrom(rest: string, tail: RegExp, who: (text: string) => Who): Peer | undefined {
  const at = rest.lastIndexOf(' from ');
  const match = at < 0 ? null : tail.exec(rest.slice(at));
  return match === null ? undefined : { ...who(rest.slice(0, at)), ...endpoint(match[1], match[2]) };
}

/**
 * Accepted/Failed publickey lines end in a key suffix that can hold a certificate ID the
 * client chose, so there is attacker text on both sides of the address. Take the one
 * `from <ip> port <n> ssh2: <type> <fingerprint>` there is; when there are several, the line
 * is an attempt to frame someone and names no address.
 */
function keyedFrom(rest: string): Peer {
  const matches = [...rest.matchAll(KEYED_TAIL)];
  if (matches.length !== 1) {
    return { ...NO_PEER, ...(rest.startsWith('invalid user ') ? { invalidUser: true } : {}) };
  }
  const [match] = matches;
  return { ...authUser(rest.slice(0, match.index)), ...endpoint(match[1], match[2]) };
}

/** `[authenticating user|invalid user|user <user> ]<ip> port <n>`, the address last. */
function peerAtEnd(body: string): Peer {
  const at = body.lastIndexOf(' port ');
  if (at < 0 || !/^ port \d{1,5}$/.test(body.slice(at))) {
    return body.includes(' ') ? NO_PEER : { invalidUser: false, ...endpoint(body, undefined) };
  }
  const space = body.lastIndexOf(' ', at - 1);
  const qualified = space < 0 ? {} : peerUser(body.slice(0, space));
  return { invalidUser: false, ...qualified, ...endpoint(body.slice(space + 1, at), body.slice(at + 6)) };
}

function stripPreauth(text: string): [body: string, preauth: boolean] {
  return text.endsWith(PREAUTH) ? [text.slice(0, -PREAUTH.length), true] : [text, false];
}

function failedKind(method: string): SshdEventKind {
  if (method === 'password' || method.startsWith('keyboard-interactive')) {
    return 'failed_password';
  }
  return method === 'publickey' ? 'failed_publickey' : 'failed_other';
}

function authResult(rest: string, match: RegExpExecArray): SshdFacts {
  const [, verb, method] = match;
  const kind = verb === 'Failed' ? failedKind(method) : verb === 'Accepted' ? 'accepted' : 'other';
  return { kind, ...(lastFrom(rest, AUTH_TAIL, authUser) ?? keyedFrom(rest)) };
}

function closed(rest: string): SshdFacts {
  const [body, preauth] = stripPreauth(rest);
  return { kind: preauth ? 'preauth_disconnect' : 'other', ...peerAtEnd(body) };
}

function tooMany(rest: string): SshdFacts {
  const [body] = stripPreauth(rest);
  const reason = ': Too many authentication failures';
  if (!body.endsWith(reason)) {
    return { kind: 'other', ...NO_PEER };
  }
  return { kind: 'too_many_auth_failures', ...peerAtEnd(body.slice(0, -reason.length)) };
}

function receivedDisconnect(rest: string): SshdFacts {
  // The reason after the code is the client's text, so the address is the first token.
  const match = /^(\S+) port (\d{1,5}):\d+:/.exec(rest) ?? /^(\S+): \d+:/.exec(rest);
  const kind = rest.endsWith(PREAUTH) ? 'preauth_disconnect' : 'other';
  return { kind, invalidUser: false, ...(match === null ? {} : endpoint(match[1], match[2])) };
}

function pamFailure(rest: string): SshdFacts {
  // Fields before rhost are sshd's own (logname, uid, tty, empty ruser); user= is last.
  const rhost = /(?:^| )rhost=(\S*)/.exec(rest);
  if (rhost === null) {
    return { kind: 'pam_auth_failure', ...NO_PEER };
  }
  const end = rhost.index + rhost[0].length;
  const userAt = rest.indexOf(' user=', end);
  const user = userAt < 0 ? undefined : rest.slice(userAt + ' user='.length);
  return { kind: 'pam_auth_failure', invalidUser: false, user, ...endpoint(rhost[1] || undefined, undefined) };
}

/** Each prefix is anchored at the start of the message: attacker text comes after it. */
const RULES: readonly Rule[] = [
  { prefix: /^(Failed|Accepted|Postponed|Partial) (\S+) for /, parse: authResult },
  {
    prefix: /^Invalid user /,
    parse: (rest) => ({
      kind: 'invalid_user',
      ...(lastFrom(rest, FROM_TAIL, (user) => ({ user, invalidUser: true })) ?? { invalidUser: true }),
    }),
  },
  {
    prefix: /^error: maximum authentication attempts exceeded for /,
    parse: (rest) => ({ kind: 'max_auth_attempts', ...(lastFrom(rest, AUTH_TAIL, authUser) ?? NO_PEER) }),
  },
  {
    prefix: /^Disconnecting: Too many authentication failures/,
    parse: () => ({ kind: 'too_many_auth_failures', ...NO_PEER }),
  },
  { prefix: /^Disconnecting /, parse: tooMany },
  { prefix: /^(?:Connection closed by|Connection reset by|Disconnected from) /, parse: closed },
  { prefix: /^Received disconnect from /, parse: receivedDisconnect },
  {
    prefix: /^Did not receive identification string from /,
    parse: (rest) => ({ kind: 'no_identification', ...peerAtEnd(rest) }),
  },
  {
    prefix: /^Bad protocol version identification /,
    parse: (rest) => ({ kind: 'bad_protocol', ...(lastFrom(rest, FROM_TAIL, () => NO_PEER) ?? NO_PEER) }),
  },
  { prefix: /^pam_[a-z0-9_]+\(sshd:auth\): authentication failure; /, parse: pamFailure },
];

function applyRules(message: string): SshdFacts | null {
  for (const rule of RULES) {
    const match = rule.prefix.exec(message);
    if (match !== null) {
      return rule.parse(message.slice(match[0].length), match);
    }
  }
  return null;
}

/** The message after a syslog header whose program is sshd (`… host sshd[42]: `). */
function afterSshdTag(text: string): string | undefined {
  const colon = text.indexOf(': ');
  const tag = colon < 0 ? '' : text.slice(text.lastIndexOf(' ', colon) + 1, colon);
  return SSHD_TAG.test(tag) ? text.slice(colon + 2) : undefined;
}

/**
 * Facts from one OpenSSH message, given bare (`Failed password for …`) or with its syslog
 * header (`Nov 24 10:00:01 bastion sshd[1234]: Failed password for …`). Known messages are
 * recognised only at the start of the message, never inside it: a client's banner or user
 * name can contain the text of another message. Returns null for text that is not from sshd,
 * and `{kind: 'other'}` for an sshd message this parser does not know.
 */
export function parseSshdMessage(message: string): SshdFacts | null {
  if (typeof message !== 'string' || message.length > MAX_SSHD_MESSAGE_LENGTH) {
    return null;
  }
  const text = message.trim();
  if (/[\r\n]/.test(text)) {
    return null;
  }
  const bare = applyRules(text);
  if (bare !== null) {
    return bare;
  }
  const body = afterSshdTag(text);
  return body === undefined ? null : (applyRules(body) ?? { kind: 'other', invalidUser: false });
}

export function findSourceIpInMessage(message: string): string | undefined {
  return parseSshdMessage(message)?.sourceIp;
}
