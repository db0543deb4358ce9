import { RuleFacts, SSHD_RULES, SshdEventKind } from './sshd-rules';

export type { SshdEventKind } from './sshd-rules';

export interface SshdFacts extends RuleFacts {
  /** The sshd process id from the syslog tag (`sshd[4242]:`): one connection's lines share it. */
  pid?: number;
}

/** sshd formats its messages into an 8 KiB buffer; anything longer was not written by it. */
export const MAX_SSHD_MESSAGE_LENGTH = 8192;

/** Where the message came from, when a syslog header named it. */
export interface SshdOrigin {
  app?: string;
  procId?: string;
}

// sshd, OpenSSH 9.8+'s sshd-session and sshd-auth, and 2005-era `sshd(pam_unix)`.
const SSHD_APP = /^sshd(?:-session|-auth)?(?:\((pam_[a-z0-9_]+)\))?$/;
const SSHD_TAG = /^(sshd(?:-session|-auth)?(?:\(pam_[a-z0-9_]+\))?)(?:\[(\d{1,10})\])?$/;
// Solaris' syslog puts `[ID <msgid> <facility>.<level>] ` before the message.
const SOLARIS_ID = /^\[ID \d{1,10} [a-z0-9]{1,16}\.[a-z]{1,8}\] /;
// rsyslog and journald's forwarders fold repeats: `message repeated 5 times: [ <message>]`.
const REPEATED = /^message repeated (\d{1,6}) times?: \[ ?([^]*)\]$/;
// log.c prefixes error() and fatal() messages.
const LEVEL = /^(?:error|fatal): /;

function applyRules(message: string): RuleFacts | null {
  const text = LEVEL.test(message) ? message.slice(message.indexOf(' ') + 1) : message;
  for (const rule of SSHD_RULES) {
    const match = rule.prefix.exec(text);
    if (match !== null) {
      return rule.parse(text.slice(match[0].length), match);
    }
  }
  return null;
}

/** `found` is the rule's own new object: completed in place, not copied (the hot path). */
function withOrigin(found: RuleFacts, pid: number | undefined, repeat: number | undefined): SshdFacts {
  const facts = found as SshdFacts;
  facts.pid = pid;
  if (repeat !== undefined) {
    facts.repeat = repeat * (found.repeat ?? 1);
  }
  return facts;
}

/** The message of an sshd program (its tag already read): prefixes, repeats, then the rules. */
function readMessage(message: string, pam: string | undefined, pid: number | undefined): SshdFacts {
  let text = SOLARIS_ID.test(message) ? message.slice(message.indexOf('] ') + 2) : message;
  const repeated = REPEATED.exec(text);
  text = repeated === null ? text : repeated[2];
  // `sshd(pam_unix)[42]: authentication failure; …` is pam_unix's own record, written before
  // PAM prefixed its messages with `pam_unix(sshd:auth): `.
  const found = applyRules(pam === undefined ? text : `${pam}(sshd:auth): ${text}`);
  const repeat = repeated === null ? undefined : parseInt(repeated[1], 10);
  return withOrigin(found ?? { kind: 'other', ruleId: 'sshd-other', invalidUser: false }, pid, repeat);
}

function pidOf(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,10}$/.test(text) ? parseInt(text, 10) : undefined;
}

/**
 * Facts from a syslog message whose program is sshd (the header already read); null when the
 * program is not sshd: another program may log attacker text that looks like sshd's.
 */
export function parseSshdSyslog(origin: SshdOrigin, message: string): SshdFacts | null {
  const app = origin.app === undefined ? null : SSHD_APP.exec(origin.app);
  if (app === null || typeof message !== 'string' || message.length > MAX_SSHD_MESSAGE_LENGTH) {
    return null;
  }
  return /[\r\n]/.test(message) ? null : readMessage(message.trim(), app[1], pidOf(origin.procId));
}

/** The message after a syslog header whose program is sshd (`… host sshd[42]: `). */
function afterSshdTag(text: string): SshdFacts | undefined {
  const colon = text.indexOf(': ');
  const tag = colon < 0 ? null : SSHD_TAG.exec(text.slice(text.lastIndexOf(' ', colon) + 1, colon));
  if (tag === null) {
    return undefined;
  }
  const pam = /\((pam_[a-z0-9_]+)\)/.exec(tag[1])?.[1];
  return readMessage(text.slice(colon + 2), pam, pidOf(tag[2]));
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
  return afterSshdTag(text) ?? null;
}

export function findSourceIpInMessage(message: string): string | undefined {
  return parseSshdMessage(message)?.sourceIp;
}

/** Kinds that say one authentication attempt failed (alone or with the other lines of it). */
export const SSHD_FAILURE_KINDS: ReadonlySet<SshdEventKind> = new Set<SshdEventKind>([
  'failed_password',
  'failed_publickey',
  'failed_none',
  'failed_other',
  'invalid_user',
  'user_not_allowed',
  'root_refused',
  'pam_auth_failure',
  'pam_more_failures',
  'pam_error',
  'max_auth_attempts',
  'too_many_auth_failures',
  'preauth_disconnect',
]);

/** Kinds that say a client probed sshd before authenticating: scanners, fingerprinting, floods. */
export const SSHD_PROBE_KINDS: ReadonlySet<SshdEventKind> = new Set<SshdEventKind>([
  'no_identification',
  'bad_protocol',
  'unable_to_negotiate',
  'preauth_timeout',
  'scan_probe',
  'refused_connect',
  'dropped_connection',
  'protocol_error',
  'max_auth_attempts',
  'too_many_auth_failures',
]);
