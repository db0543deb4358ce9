import { createHmac } from 'node:crypto';
import { Outcome } from '../domain/event';
import { isSignal, Signal, SIGNALS } from '../domain/signal';
import { StringShape } from './triage-context';

/**
 * The sanitiser: turns untrusted strings into safe descriptions. Nothing returned here ever
 * contains the input itself, except `stripUnsafe`, which is a building block for shapes and
 * must not be used to put text into a TriageContext.
 */

export const CHAR_CLASSES = [
  'empty',
  'digits',
  'hex',
  'lower-alpha',
  'lower-alnum',
  'alnum',
  'url-like',
  'email-like',
  'path-like',
  'printable-ascii',
  'non-ascii',
] as const;
export type CharClass = (typeof CHAR_CLASSES)[number];

export const EVENT_CLASSES = [
  'auth_failure',
  'auth_success',
  'auth_other',
  'http_request',
  'connection',
  'other',
] as const;
export type EventClass = (typeof EVENT_CLASSES)[number];

export const SAFE_ACTIONS = ['block', 'alert', 'monitor', 'other'] as const;
export type SafeAction = (typeof SAFE_ACTIONS)[number];

export const HASH_HEX_LENGTH = 8;
/** The largest count a context reports; larger values are reported as this. */
export const COUNT_CAP = 1_000_000_000;

/** Line and paragraph breaks and tabs become a space so that the words they separate stay apart. */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;

/**
 * Removed outright: C0/C1 controls and DEL (Cc), format characters (Cf: bidi controls, zero-width
 * joiners, U+FEFF, U+180E, U+00AD, Unicode tags used to smuggle invisible ASCII...), lone
 * surrogates (Cs, which only match unpaired in a `u` regex) and every other default-ignorable
 * (invisible) code point: variation selectors, Hangul fillers, U+034F...
 */
const DROPPED = /[\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}]/gu;

function strip(text: string): string {
  return text.replace(BREAKS, ' ').replace(DROPPED, '');
}

/** Removes control, bidi, invisible characters and lone surrogates; NFKC-normalises. */
export function stripUnsafe(text: string): string {
  // Stripping before normalising lets characters that were split by an invisible one compose.
  return strip(strip(text).normalize('NFKC'));
}

/** Ordered: the first matching class wins. Applied to the stripped value. */
const CHAR_CLASS_RULES: ReadonlyArray<readonly [CharClass, RegExp]> = [
  ['digits', /^[0-9]+$/],
  ['hex', /^(?=.*[0-9])(?=.*[a-f])[0-9a-f]+$|^(?=.*[0-9])(?=.*[A-F])[0-9A-F]+$/],
  ['lower-alpha', /^[a-z]+$/],
  ['lower-alnum', /^[a-z0-9._-]+$/],
  ['alnum', /^[A-Za-z0-9._-]+$/],
  ['url-like', /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[\x21-\x7e]+$/],
  ['email-like', /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/],
  ['path-like', /^(\/|\.{1,2}\/|[A-Za-z]:\\)[\x21-\x7e]*$/],
  ['printable-ascii', /^[\x20-\x7e]+$/],
];

export function charClassOf(clean: string): CharClass {
  if (clean.length === 0) {
    return 'empty';
  }
  return CHAR_CLASS_RULES.find(([, pattern]) => pattern.test(clean))?.[0] ?? 'non-ascii';
}

/** First 8 hex digits of HMAC-SHA256(key, value). The key is a per-process secret. */
export function keyedHash(value: string, key: string): string {
  if (key.length === 0) {
    throw new Error('the hash key must not be empty');
  }
  return createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, HASH_HEX_LENGTH);
}

/** Length (code points after stripUnsafe), character class and keyed hash of the raw value. */
export function shapeOf(value: string, key: string): StringShape {
  const clean = stripUnsafe(value);
  return {
    length: capCount([...clean].length),
    charClass: charClassOf(clean),
    hash: keyedHash(value, key),
  };
}

const AUTH = [
  'auth',
  'login',
  'logon',
  'signin',
  'sign_in',
  'sign-in',
  'password',
  'passwd',
  'publickey',
  'sudo',
  'credential',
  'kerberos',
];
const FAILURE = ['fail', 'invalid', 'denied', 'deny', 'reject', 'incorrect', 'wrong', 'unauthori', 'error'];
const SUCCESS = ['success', 'succeed', 'accept', 'granted', 'logged_in', 'logged in'];
const HTTP = ['http', 'request', 'web', 'nginx', 'apache', 'access_log', 'url', 'waf'];
const CONNECTION = ['connect', 'firewall', 'netflow', 'tcp', 'udp', 'packet', 'socket', 'iptables'];

/** Ordered: the first class whose every keyword group matches wins. */
const EVENT_CLASS_RULES: ReadonlyArray<readonly [EventClass, ReadonlyArray<readonly string[]>]> = [
  ['auth_failure', [AUTH, FAILURE]],
  ['auth_success', [AUTH, SUCCESS]],
  ['auth_other', [AUTH]],
  ['http_request', [HTTP]],
  ['connection', [CONNECTION]],
];

/** How much of a free-text event type is looked at. */
const EVENT_TYPE_SCAN = 256;

/** Maps a free-text event type to EVENT_CLASSES by keyword; never returns the input. */
export function safeEventClass(eventType: string | undefined): EventClass {
  if (typeof eventType !== 'string') {
    return 'other';
  }
  const text = stripUnsafe(eventType.slice(0, EVENT_TYPE_SCAN)).toLowerCase();
  const matches = (group: readonly string[]): boolean => group.some((k) => text.includes(k));
  return EVENT_CLASS_RULES.find(([, groups]) => groups.every(matches))?.[0] ?? 'other';
}

const OUTCOMES: readonly Outcome[] = ['success', 'failure', 'unknown'];

export function safeOutcome(outcome: unknown): Outcome {
  return OUTCOMES.find((o) => o === outcome) ?? 'unknown';
}

/** Known signals only, each once, in SIGNALS order. */
export function safeSignals(signals: readonly unknown[]): Signal[] {
  const seen = new Set(signals.filter((s): s is Signal => typeof s === 'string' && isSignal(s)));
  return SIGNALS.filter((s) => seen.has(s));
}

export function safeAction(action: unknown): SafeAction {
  return SAFE_ACTIONS.find((a) => a !== 'other' && a === action) ?? 'other';
}

/** Rule ids come from the policy file; anything that does not look like one is hashed. */
const RULE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,47}$/;

export function safeRuleId(ruleId: unknown, key: string): string {
  if (typeof ruleId === 'string' && RULE_ID.test(ruleId)) {
    return ruleId;
  }
  return `rule-${keyedHash(String(ruleId), key)}`;
}

/** A non-negative integer no larger than `max`; anything else (NaN, negative) becomes 0. */
export function capCount(n: unknown, max = COUNT_CAP): number {
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) {
    return 0;
  }
  return Math.min(Math.floor(n), max);
}
