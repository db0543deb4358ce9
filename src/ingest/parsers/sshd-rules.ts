import { authUser, keyedFrom, lastFrom, NO_PEER, Peer, peerAtEnd, peerAtStart } from './sshd-peer';

/**
 * The OpenSSH messages about failed, refused or abusive connections, one rule per message
 * family, as OpenSSH 3.x to 9.x and the PAM modules it loads write them. Families were read
 * from the log calls in OpenSSH's auth.c (auth_log, auth_maxtries_exceeded, allowed_user,
 * auth_root_allowed, getpwnamallow), auth-pam.c, kex.c (banner exchange, "scanned from"),
 * packet.c (sshpkt_fatal: closed, reset, timed out, unable to negotiate), sshd.c (timeout
 * before authentication, MaxStartups drops) and serverloop.c; and from linux-pam's pam_unix
 * (`authentication failure;`, `N more authentication failures;`). Older spellings (Illegal
 * user, no port, `ssh1`, tcpwrappers' `refused connect`) are kept. Each rule's prefix is
 * anchored at the start of the message: attacker text only ever comes after it.
 */
export type SshdEventKind =
  | 'failed_password'
  | 'failed_publickey'
  | 'failed_none'
  | 'failed_other'
  | 'invalid_user'
  | 'user_not_allowed'
  | 'root_refused'
  | 'accepted'
  | 'pam_auth_failure'
  | 'pam_more_failures'
  | 'pam_error'
  | 'max_auth_attempts'
  | 'too_many_auth_failures'
  | 'preauth_disconnect'
  | 'preauth_closed'
  | 'no_identification'
  | 'bad_protocol'
  | 'unable_to_negotiate'
  | 'preauth_timeout'
  | 'scan_probe'
  | 'refused_connect'
  | 'dropped_connection'
  | 'protocol_error'
  | 'other';

export interface RuleFacts extends Peer {
  kind: SshdEventKind;
  /** The rule that read the message, e.g. `sshd-failed-password`: shown by explain. */
  ruleId: string;
  /** How many attempts the line reports on its own (`PAM 3 more authentication failures`). */
  repeat?: number;
}

interface Rule {
  prefix: RegExp;
  parse(rest: string, match: RegExpExecArray): RuleFacts;
}

const PREAUTH = ' [preauth]';
const AUTH_TAIL = /^ from (\S+) port (\d{1,5})(?: ssh[12])?(?: \[preauth\])?$/;
const FROM_TAIL = /^ from (\S+)(?: port (\d{1,5}))?(?: \[preauth\])?$/;
const BARE_FROM_TAIL = /^ from (\S+)$/;
// Reasons a client gives when it disconnects that say authentication failed (JSch, PuTTY,
// paramiko, OpenSSH's own "Too many authentication failures").
const AUTH_REASON = /auth fail|authenticat|too many/i;

function stripPreauth(text: string): [body: string, preauth: boolean] {
  return text.endsWith(PREAUTH) ? [text.slice(0, -PREAUTH.length), true] : [text, false];
}

/** One object shape for every message (fields left undefined): the hot path stays monomorphic. */
const facts = (kind: SshdEventKind, ruleId: string, peer: Peer, repeat?: number): RuleFacts => ({
  kind,
  ruleId,
  sourceIp: peer.sourceIp,
  sourcePort: peer.sourcePort,
  sourceHost: peer.sourceHost,
  user: peer.user,
  invalidUser: peer.invalidUser,
  repeat,
});

const FAILED_RULE: Partial<Record<SshdEventKind, string>> = {
  failed_password: 'sshd-failed-password',
  failed_none: 'sshd-failed-none',
  failed_publickey: 'sshd-failed-publickey',
  failed_other: 'sshd-failed-other',
};

function failedKind(method: string): SshdEventKind {
  if (method === 'password' || method.startsWith('keyboard-interactive') || method === 'challenge-response') {
    return 'failed_password';
  }
  if (method === 'none') {
    return 'failed_none';
  }
  return method === 'publickey' ? 'failed_publickey' : 'failed_other';
}

function authResult(rest: string, match: RegExpExecArray): RuleFacts {
  const [, verb, method] = match;
  const peer = lastFrom(rest, AUTH_TAIL, authUser) ?? keyedFrom(rest);
  if (verb === 'Failed') {
    const kind = failedKind(method);
    return facts(kind, FAILED_RULE[kind] ?? 'sshd-failed-other', peer);
  }
  return verb === 'Accepted' ? facts('accepted', 'sshd-accepted', peer) : facts('other', 'sshd-postponed', peer);
}

function closed(rest: string): RuleFacts {
  const [body, preauth] = stripPreauth(rest);
  const peer = peerAtEnd(body);
  if (!preauth) {
    return facts('other', 'sshd-connection-closed', peer);
  }
  return peer.user === undefined
    ? facts('preauth_closed', 'sshd-preauth-closed', peer)
    : facts('preauth_disconnect', 'sshd-preauth-disconnect', peer);
}

function disconnecting(rest: string): RuleFacts {
  const [body] = stripPreauth(rest);
  if (body.startsWith('Too many authentication failures')) {
    // Before 7.x: `Disconnecting: Too many authentication failures for <user>`, no address.
    return facts('too_many_auth_failures', 'sshd-too-many-failures', NO_PEER);
  }
  const colon = body.indexOf(': ');
  const reason = colon < 0 ? '' : body.slice(colon + 2);
  const peer = colon < 0 ? NO_PEER : peerAtEnd(body.slice(0, colon));
  if (reason.startsWith('Too many authentication failures')) {
    return facts('too_many_auth_failures', 'sshd-too-many-failures', peer);
  }
  return facts(peer.user === undefined ? 'other' : 'preauth_disconnect', 'sshd-disconnecting', peer);
}

function receivedDisconnect(rest: string): RuleFacts {
  // The reason after the code is the client's text, so the address is the first token.
  const match = /^(\S+) port (\d{1,5}):\d+:/.exec(rest) ?? /^(\S+): \d+:/.exec(rest);
  const peer = match === null ? NO_PEER : peerAtStart(rest, /^:/);
  const reason = match === null ? '' : rest.slice(match[0].length);
  const [text, preauth] = stripPreauth(reason);
  const kind = !preauth ? 'other' : AUTH_REASON.test(text) ? 'preauth_disconnect' : 'preauth_closed';
  return facts(kind, 'sshd-received-disconnect', peer);
}

/** pam_unix's `key=value` record: fields before rhost are sshd's own, user= is last. */
function pamRecord(kind: SshdEventKind, ruleId: string, rest: string, repeat?: number): RuleFacts {
  const rhost = /(?:^| )rhost=(\S*)/.exec(rest);
  if (rhost === null) {
    return facts(kind, ruleId, NO_PEER, repeat);
  }
  const userAt = rest.indexOf(' user=', rhost.index + rhost[0].length);
  const user = userAt < 0 ? undefined : rest.slice(userAt + ' user='.length);
  const peer = peerAtStart(rhost[1], /^$/);
  return facts(kind, ruleId, { ...peer, user }, repeat);
}

function userNotAllowed(rest: string): RuleFacts {
  // `User <name> from <host> not allowed because <sshd's reason>`; older: no ` from <host>`.
  const at = rest.lastIndexOf(' not allowed because ');
  const head = at < 0 ? '' : rest.slice(0, at);
  const peer = lastFrom(head, BARE_FROM_TAIL, (user) => ({ user, invalidUser: false }));
  return facts('user_not_allowed', 'sshd-user-not-allowed', peer ?? NO_PEER);
}

function timeout(rest: string): RuleFacts {
  // `for <ip> port <n>` (sigdie, up to 9.7), `for connection from <ip> to <ip>, pid = <n>`.
  const body = rest.startsWith('connection from ') ? rest.slice('connection from '.length) : rest;
  return facts('preauth_timeout', 'sshd-preauth-timeout', peerAtStart(body, /^(?:$| to |,)/));
}

/** Each prefix is anchored at the start of the message: attacker text comes after it. */
export const SSHD_RULES: readonly Rule[] = [
  { prefix: /^(Failed|Accepted|Postponed|Partial) (\S+) for /, parse: authResult },
  {
    prefix: /^(?:Invalid|Illegal) user /,
    parse: (rest) =>
      facts(
        'invalid_user',
        'sshd-invalid-user',
        lastFrom(rest, FROM_TAIL, (user) => ({ user, invalidUser: true })) ?? { invalidUser: true },
      ),
  },
  {
    prefix: /^maximum authentication attempts exceeded for /,
    parse: (rest) =>
      facts('max_auth_attempts', 'sshd-max-auth-attempts', lastFrom(rest, AUTH_TAIL, authUser) ?? NO_PEER),
  },
  { prefix: /^Disconnecting:? /, parse: disconnecting },
  { prefix: /^(?:Connection closed by|Connection reset by|Disconnected from) /, parse: closed },
  { prefix: /^Received disconnect from /, parse: receivedDisconnect },
  { prefix: /^User (?=[^]* not allowed because )/, parse: userNotAllowed },
  {
    prefix: /^ROOT LOGIN REFUSED FROM /i,
    parse: (rest) => facts('root_refused', 'sshd-root-refused', peerAtEnd(stripPreauth(rest)[0])),
  },
  {
    prefix: /^PAM: [A-Za-z][^:]{0,80}? for /,
    parse: (rest) => facts('pam_error', 'sshd-pam-error', lastFrom(rest, BARE_FROM_TAIL, authUser) ?? NO_PEER),
  },
  {
    prefix: /^pam_[a-z0-9_]+\(sshd:auth\): authentication failure; /,
    parse: (rest) => pamRecord('pam_auth_failure', 'pam-unix-auth-failure', rest),
  },
  {
    prefix: /^(?:PAM|pam_[a-z0-9_]+\(sshd:auth\):) (\d{1,4}) more authentication failures?; /,
    parse: (rest, match) => pamRecord('pam_more_failures', 'pam-unix-more-failures', rest, parseInt(match[1], 10)),
  },
  {
    prefix: /^Did not receive identification string from /,
    parse: (rest) => facts('no_identification', 'sshd-no-identification', peerAtEnd(stripPreauth(rest)[0])),
  },
  {
    prefix: /^Bad protocol version identification /,
    parse: (rest) => facts('bad_protocol', 'sshd-bad-protocol', lastFrom(rest, FROM_TAIL, () => NO_PEER) ?? NO_PEER),
  },
  {
    prefix: /^banner exchange: Connection from /,
    parse: (rest) => facts('bad_protocol', 'sshd-banner-exchange', peerAtStart(rest, /^: /)),
  },
  {
    prefix: /^Unable to negotiate with /,
    parse: (rest) => facts('unable_to_negotiate', 'sshd-unable-to-negotiate', peerAtStart(rest, /^: /)),
  },
  { prefix: /^Timeout before authentication for /, parse: timeout },
  {
    prefix: /^(?:scanned|probed) from /,
    parse: (rest) => facts('scan_probe', 'sshd-scanned', peerAtStart(rest, /^ with /)),
  },
  {
    prefix: /^refused connect from /,
    parse: (rest) => {
      // tcpwrappers: `refused connect from <name or unknown> (<address>)`, the address last.
      const match = /\(([0-9A-Fa-f.:]{2,45})\)$/.exec(rest);
      return facts(
        'refused_connect',
        'sshd-tcpwrappers-refused',
        match === null ? NO_PEER : peerAtStart(match[1], /^$/),
      );
    },
  },
  {
    prefix: /^drop connection #\d+ from \[/,
    parse: (rest) => {
      const match = /^([0-9A-Fa-f.:]{2,45})\]:(\d{1,5}) on \[/.exec(rest);
      return facts(
        'dropped_connection',
        'sshd-maxstartups-drop',
        match === null ? NO_PEER : peerAtStart(`${match[1]} port ${match[2]}`, /^$/),
      );
    },
  },
  {
    prefix: /^ssh_dispatch_run_fatal: Connection from /,
    parse: (rest) => facts('protocol_error', 'sshd-dispatch-fatal', peerAtStart(rest, /^: /)),
  },
];
