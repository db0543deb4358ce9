import { hostnameKey } from '../../common/actor-key';
import { canonicalIp } from '../../domain/ip';
import type { AttemptRole } from '../../domain/attempt';

/**
 * Authentication failures of the other services of a bastion or mail host, as their programs
 * write them to syslog: postfix's SASL (smtpd.c), dovecot's login processes, vsftpd, proftpd,
 * pure-ftpd, and any PAM stack's pam_unix (`pam_unix(<service>:auth): authentication failure;
 * … rhost=<address>`). As with sshd, the program named in the syslog tag decides which rules
 * apply, each rule is anchored at the start of the message, and the address is read where the
 * program's own format puts it, never from the user name the client chose.
 *
 * A PAM `rhost=` that holds a host name keys a `hostname` actor (common/actor-key.ts); an empty
 * one, and sudo's and su's own failures, are local: no remote party, keyed by the user who
 * tried (`local`), kept and shown, never blocked.
 */
export interface ServiceAuthFacts {
  /** `postfix`, `dovecot`, `vsftpd`, `proftpd`, `pure-ftpd`, or the PAM service name. */
  service: string;
  ruleId: string;
  /** Canonical address; undefined when the service wrote a host name or nothing usable. */
  sourceIp?: string;
  /** A host name where the address goes (PAM's `rhost=` under UseDNS), as a host-name key. */
  sourceHost?: string;
  /** A local failure (sudo, su, PAM with an empty rhost): no remote party. */
  local: boolean;
  /** For a local failure, the user who tried, as written (sudo's user, su's caller, PAM's ruser). */
  localUser?: string;
  /** As written: untrusted. For a local failure, the account asked for (su's target, sudo's USER=). */
  user?: string;
  /** Attempts the line reports (dovecot's `auth failed, 3 attempts`). */
  count: number;
  /** How the line counts among the lines of one local attempt (attempt.ts); remote lines are `failed`. */
  role: AttemptRole;
}

type Rule = (message: string, app: string) => ServiceAuthFacts | null;

const ADDRESS = '[0-9A-Fa-f.:]{2,45}';

const facts = (
  service: string,
  ruleId: string,
  ip: string | undefined,
  user?: string,
  count = 1,
): ServiceAuthFacts => ({
  service,
  ruleId,
  sourceIp: ip === undefined ? undefined : (canonicalIp(ip) ?? undefined),
  sourceHost: undefined,
  local: false,
  localUser: undefined,
  user,
  count,
  role: 'failed',
});

const localFacts = (
  service: string,
  ruleId: string,
  localUser: string | undefined,
  user: string | undefined,
  role: AttemptRole,
  count = 1,
): ServiceAuthFacts => ({
  service,
  ruleId,
  sourceIp: undefined,
  sourceHost: undefined,
  local: true,
  localUser,
  user,
  count,
  role,
});

// postfix smtpd: `warning: <name>[<address>]: SASL <mechanism> authentication failed: <reason>`
// (the name is from DNS: no brackets in it).
const POSTFIX_SASL = new RegExp(
  `^warning: [^\\s\\[\\]]+\\[(${ADDRESS})\\](?::\\d{1,5})?: SASL [A-Z0-9_-]{1,32} authentication failed`,
);

// dovecot: `imap-login: Disconnected (auth failed, 3 attempts in 12 secs): user=<x>, method=PLAIN,
// rip=<address>, lip=<address>, …`; the user name comes first, so the LAST `, rip=` is the
// server's.
const DOVECOT_LOGIN =
  /^(?:[a-z0-9-]{1,32}-login: )?(?:Info: )?(?:Disconnected|Aborted login|Login aborted)\b[^()]{0,80}\(auth failed, (\d{1,4}) attempts?/;

function dovecot(message: string): ServiceAuthFacts | null {
  const login = DOVECOT_LOGIN.exec(message);
  if (login === null) {
    return null;
  }
  const at = message.lastIndexOf(', rip=');
  const rip = at < 0 ? null : new RegExp(`^, rip=(${ADDRESS})(?:,|$)`).exec(message.slice(at));
  const user = /\): user=<([^>]{0,256})>/.exec(message)?.[1];
  return facts('dovecot', 'dovecot-auth-failed', rip?.[1], user, parseInt(login[1], 10));
}

// vsftpd with syslog_enable: `[<user>] FAIL LOGIN: Client "<address>"`; the user is the
// client's, so the LAST `FAIL LOGIN: Client "` is vsftpd's.
function vsftpd(message: string): ServiceAuthFacts | null {
  const at = message.lastIndexOf('] FAIL LOGIN: Client "');
  if (!message.startsWith('[') || at < 0) {
    return null;
  }
  const client = new RegExp(`^\\] FAIL LOGIN: Client "(${ADDRESS})"(?:, ".*")?$`).exec(message.slice(at));
  return client === null ? null : facts('vsftpd', 'vsftpd-fail-login', client[1], message.slice(1, at));
}

// proftpd: `<server> (<name>[<address>]) - USER <user> (Login failed): <reason>` and
// `… - USER <user>: no such user found from …`; the name is from DNS (no brackets).
const PROFTPD = new RegExp(`^\\S{1,255} \\([^\\s\\[\\]()]*\\[(${ADDRESS})\\]\\) - (.*)$`);

function proftpd(message: string): ServiceAuthFacts | null {
  const match = PROFTPD.exec(message);
  if (match === null) {
    return null;
  }
  const [, address, rest] = match;
  const failed =
    /^USER (.{0,256}?) \(Login failed\):/.exec(rest) ?? /^USER (.{0,256}?): no such user found from /.exec(rest);
  if (failed !== null) {
    return facts('proftpd', 'proftpd-login-failed', address, failed[1]);
  }
  return /^Maximum login attempts \(\d+\) exceeded/.test(rest)
    ? facts('proftpd', 'proftpd-max-attempts', address)
    : null;
}

// pure-ftpd: `(<user or ?>@<address>) [WARNING] Authentication failed for user [<user>]`.
const PURE_FTPD = new RegExp(
  `^\\(([^()@]{0,256})@(${ADDRESS})\\) \\[WARNING\\] Authentication failed for user \\[(.*)\\]$`,
);

function pureFtpd(message: string): ServiceAuthFacts | null {
  const match = PURE_FTPD.exec(message);
  return match === null ? null : facts('pure-ftpd', 'pure-ftpd-auth-failed', match[2], match[3]);
}

// Any PAM stack: pam_unix's record (`authentication failure;` for the first failure of a
// handle, `N more authentication failures;` when it ends); rhost is the service's, user= comes
// last.
const PAM_FAILURE = /^pam_unix\(([a-z0-9_.-]{1,32}):auth\): (?:(\d{1,4}) more )?authentication failures?; /;

/** `key=value` from pam_unix's record, before ` user=` (which comes last and may hold spaces). */
function pamField(rest: string, name: string): string | undefined {
  const found = new RegExp(`(?:^| )${name}=(\\S*)`).exec(rest);
  return found === null || found[1] === '' ? undefined : found[1];
}

function pam(message: string): ServiceAuthFacts | null {
  const match = PAM_FAILURE.exec(message);
  if (match === null) {
    return null;
  }
  const rest = message.slice(match[0].length);
  const userAt = rest.lastIndexOf(' user=');
  const head = userAt < 0 ? rest : rest.slice(0, userAt);
  const user = userAt < 0 ? undefined : rest.slice(userAt + 6);
  const more = match[2] === undefined ? undefined : parseInt(match[2], 10);
  const rhost = pamField(head, 'rhost');
  if (rhost === undefined) {
    const who = pamField(head, 'ruser') ?? pamField(head, 'logname');
    return localFacts(match[1], 'pam-unix-local-failure', who, user, more === undefined ? 'pam' : 'pamMore', more);
  }
  const found = facts(match[1], 'pam-unix-auth-failure', rhost, user, more);
  if (found.sourceIp === undefined) {
    found.sourceHost = hostnameKey(rhost) ?? undefined;
  }
  return found;
}

// sudo (plugins/sudoers/logging.c): `<user> : <N> incorrect password attempt(s) ; TTY=… ;
// PWD=… ; USER=<target> ; COMMAND=…`, and the refusals (`user NOT in sudoers`, `command not
// allowed`, …). sudo 1.9 pads the user name with spaces. The user is the one who ran sudo.
const SUDO = /^ {0,16}([^\s:;]{1,64}) : (?:(\d{1,4}) incorrect password attempts?|([a-zA-Z][a-zA-Z ]{2,60}?)) ; /;
const SUDO_REFUSALS =
  /^(?:user NOT in sudoers|user NOT authorized on host|command not allowed|a password is required)$/;

function sudo(message: string): ServiceAuthFacts | null {
  const match = SUDO.exec(message);
  if (match === null) {
    return null;
  }
  const target = / ; USER=([^\s;]{1,64}) ; /.exec(message.slice(match[0].length - 3))?.[1];
  if (match[2] !== undefined) {
    return localFacts('sudo', 'sudo-incorrect-password', match[1], target, 'failed', parseInt(match[2], 10));
  }
  return SUDO_REFUSALS.test(match[3]) ? localFacts('sudo', 'sudo-refused', match[1], target, 'companion') : null;
}

// su: util-linux's `FAILED SU (to <target>) <user> on <tty>`, shadow's `FAILED su for <target> by <user>`.
const SU_UTIL_LINUX = /^FAILED SU \(to ([^\s()]{1,64})\) (\S{1,64}) on \S{1,64}$/;
const SU_SHADOW = /^FAILED su for (\S{1,64}) by (\S{1,64})$/;

function su(message: string): ServiceAuthFacts | null {
  const match = SU_UTIL_LINUX.exec(message) ?? SU_SHADOW.exec(message);
  return match === null ? null : localFacts('su', 'su-failed', match[2], match[1], 'failed');
}

/** The rules for each program tag; pam_unix's record for any of them. */
const BY_PROGRAM: readonly [RegExp, Rule][] = [
  [
    /^postfix(?:-[a-z0-9_-]+)?\/(?:[a-z0-9_-]+\/)?smtpd$/,
    (message) => {
      const match = POSTFIX_SASL.exec(message);
      return match === null ? null : facts('postfix', 'postfix-sasl-auth-failed', match[1]);
    },
  ],
  [/^(?:dovecot|imap-login|pop3-login|managesieve-login|submission-login)$/, dovecot],
  [/^vsftpd$/, vsftpd],
  [/^proftpd$/, proftpd],
  [/^pure-ftpd$/, pureFtpd],
  [/^sudo$/, sudo],
  [/^su$/, su],
];

/**
 * An authentication failure of a known service from its syslog message, or null. sshd is read
 * by sshd.ts, never here.
 */
export function parseServiceAuth(app: string | undefined, message: string): ServiceAuthFacts | null {
  if (app === undefined || message.length > 8192 || /^sshd/.test(app)) {
    return null;
  }
  for (const [program, rule] of BY_PROGRAM) {
    if (program.test(app)) {
      return rule(message, app) ?? pam(message);
    }
  }
  return pam(message);
}
