import type { DetectableEvent, NormalisedEvent, TaggedEvent } from '../../domain/event';
import { decodeCached, decodeForInspection, matchedText, MAX_INSPECT, rememberedTest } from './decode';
import { sourceFacts } from '../rules/regex-source';
import { hasSpecial, unionGate } from '../rules/union-gate';
import { webRuleMatches } from '../rules/web-detection';
import { webFieldsOf } from '../rules/web-fields';
import { SIGNALS, type Signal, type SignalMatch } from '../../domain/signal';

export { decodeForInspection } from './decode';

/**
 * Signal detectors: pure, synchronous, run on the ingest hot path for every event. Every regex
 * is compiled once here and written without nested or overlapping quantifiers, and every field
 * is cut to MAX_INSPECT characters first, so a hostile field costs linear time at worst.
 */

const anyMatch = (patterns: readonly RegExp[], text: string): boolean => patterns.some((pattern) => pattern.test(text));

// ---------------------------------------------------------------- authentication

const AUTH_FAILURE_LINES: readonly RegExp[] = [
  /\bfailed (?:password|publickey|none|hostbased|keyboard-interactive(?:\/pam)?|gssapi-with-mic) for /,
  /\binvalid user \S*\s*(?:from\b|\[preauth\])/,
  /\bauthentication failure|\btoo many authentication failures|maximum authentication attempts exceeded/,
  /\buser \S+ from \S+ not allowed because\b/,
  /\b(?:failed (?:login|logon)|login failed)\b|\ban account failed to log on\b/,
];
const AUTH_SUCCESS_LINES: readonly RegExp[] = [
  /\baccepted (?:password|publickey|hostbased|keyboard-interactive(?:\/pam)?|gssapi-with-mic) for \S+ from /,
  /\ban account was successfully logged on\b/,
];
// Lines that only count when sshd marks them [preauth]. A bare "Received disconnect" also ends
// every port scan, so it needs an authentication reason as well.
const PREAUTH_FAILURE = /\b(?:connection closed|disconnected) (?:by|from) (?:authenticating|invalid) user /;
const PREAUTH_DISCONNECT = /\breceived disconnect from .{0,200}?(?:auth fail|authenticat)/;

// "authorization" and "oauth" are deliberately not login-ish: they are not credential checks.
const LOGIN_TYPE = /log[_-]?[io]n|sign[_-]?[io]n|authent|(?:^|[^a-z])auth(?:[^a-z]|$)/;
const FAILED_LOGIN_TYPE = /log[_-]?[io]n|sign[_-]?[io]n|authent|(?:^|[^a-z])auth(?:[^a-z]|$)|ssh|passw/;
const FAILURE_WORD = /fail|denied|reject|invalid/;
const SUCCESS_WORD = /success|succeed|accept|granted/;

/** The fields the authentication detectors read. */
export type AuthFields = Partial<Pick<DetectableEvent, 'eventType' | 'outcome' | 'message'>>;

function authFailureIn(type: string, outcome: string | undefined, message: string): boolean {
  if (FAILED_LOGIN_TYPE.test(type) && (outcome === 'failure' || FAILURE_WORD.test(type))) {
    return true;
  }
  if (message === '') {
    return false;
  }
  if (anyMatch(AUTH_FAILURE_LINES, message)) {
    return true;
  }
  return message.includes('[preauth]') && (PREAUTH_FAILURE.test(message) || PREAUTH_DISCONNECT.test(message));
}

function authSuccessIn(type: string, outcome: string | undefined, message: string): boolean {
  if (authFailureIn(type, outcome, message)) {
    return false;
  }
  if (LOGIN_TYPE.test(type) && (outcome === 'success' || SUCCESS_WORD.test(type))) {
    return true;
  }
  return message !== '' && anyMatch(AUTH_SUCCESS_LINES, message);
}

const eventTypeOf = (fields: AuthFields): string => (fields.eventType ?? '').slice(0, 256).toLowerCase();

export function isAuthFailure(fields: AuthFields): boolean {
  return authFailureIn(eventTypeOf(fields), fields.outcome, decodeForInspection(fields.message ?? ''));
}

/** A failure always wins, so one event is never both. */
export function isAuthSuccess(fields: AuthFields): boolean {
  return authSuccessIn(eventTypeOf(fields), fields.outcome, decodeForInspection(fields.message ?? ''));
}

// ---------------------------------------------------------------- injection payloads
// All of these expect text already passed through decodeForInspection.

const SQLI: readonly RegExp[] = [
  // UNION must be followed by something column-like, so "union select a plan" stays prose.
  /\bunion(?:\s+(?:all|distinct))?[\s(]+select\s*(?:null\b|\d|\*|@|'|"|\(|[a-z_][\w.]*\s*(?:,|\(|from\b))/,
  // A closing quote, then a condition that is always true or false or a blind probe:
  // ' or '1'='1, " or 1=1, ') or ('a'='a, ' or ''=', ' and 1=2, ' and sleep(. "name='x' and
  // role=admin" in a key=value log line compares two different things, so it is not one.
  /['"`]\s*(?:\)\s*)*(?:(?:or|and|xor)\b|\|\||&&)\s*(?:\(\s*)*(?:(['"]?)(\w+)\1\s*(?:=|like\b)\s*['"]?\2\b|\d+\s*(?:=|<>|!=|<=?|>=?)\s*\d|['"]{2}\s*=\s*['"]|\w+\s+like\s+['"]%|true\b|\d+\s*(?:--|#|;|$)|(?:sleep|benchmark|pg_sleep|if|ascii|substr|substring|length|exists)\s*\()/,
  /\b(?:or|and)\s+(\d+)\s*=\s*\1\b|\b(?:or|and)\s+\d+\s*=\s*\d+\s*(?:--|#|;)/,
  // A closing quote whose comment swallows the rest of the query: admin'-- , admin'#, admin'/*
  /['"]\)*(?:--(?:[\s+-]|$)|#(?:\s|$)|\/\*(?!['"]))|['"]\s+--(?:\s*-)?\s*$/,
  /['"]\s*(?:\)\s*)*order\s+by\s+\d|['"]\s*\|\|\s*\(\s*select\b/,
  /;\s*(?:drop\s+(?:table|database|schema)\b|truncate\s+table\b|alter\s+table\b|delete\s+from\b|insert\s+into\b|update\s+\w+\s+set\b|create\s+(?:table|user)\b|exec(?:ute)?\s+(?:master|xp_|sp_)|declare\s+@|shutdown\s*(?:--|#|;|$))/,
  /\b(?:sleep\s*\(\s*\d|pg_sleep\s*\(|benchmark\s*\(\s*\d+\s*,|waitfor\s+(?:delay|time)\b|dbms_pipe\.receive_message\s*\()/,
  /\b(?:information_schema|xp_cmdshell|load_file\s*\(|into\s+(?:out|dump)file\b|extractvalue\s*\(|updatexml\s*\()/,
];

const HANDLER = String.raw`on(?:error|load|click|dblclick|auxclick|contextmenu|mouse\w+|pointer\w+|touch\w+|key\w+|focus\w*|blur|change|input|submit|reset|select|search|invalid|toggle|begin|end|start|finish|show|animation\w+|transition\w+|wheel|scroll|resize|unload|beforeunload|hashchange|popstate|message|pageshow|storage|drag\w*|drop|copy|cut|paste|play|playing|canplay\w*|loadstart|loadend|readystatechange|beforeprint|afterprint)\s*=`;
const XSS: readonly RegExp[] = [
  /<\/?(?:script|iframe|frame|frameset|embed|applet)[\s/>]/,
  // javascript: followed by code; a crawler following href="javascript:void(0)" is not an attack.
  /\bj\s*a\s*v\s*a\s*s\s*c\s*r\s*i\s*p\s*t\s*:(?!\s*void\s*\(\s*(?:0\s*)?\)(?:\s*;)?(?:$|[\s"'>]))\s*(?:\/\/|[\w$.[\]'"]{0,60}[(`=])/,
  /\bvbscript\s*:|\bdata\s*:\s*text\/html\b/,
  /<[a-z][^<>]{0,200}\b(?:alert|prompt|confirm)\s*[(`]/,
  // Breaking out of a JS string: ';alert(1)//  "-alert(1)-"
  /['"]\s*[;+\-*/|&,)]\s*(?:alert|prompt|confirm|eval)\s*[(`]/,
  new RegExp(String.raw`\b` + HANDLER + String.raw`\s*(?:['"\x60]\s*)?[\w$.]{1,60}\s*[(\x60]`),
  /\beval\(|\bstring\s*\.\s*fromcharcode\s*\(|\bdocument\s*(?:\.\s*cookie\b|\[\s*['"]cookie)/,
];
const EVENT_HANDLER = new RegExp(String.raw`[\s"'/\x60;]` + HANDLER);
const TAG_OPEN = /<[a-z]/;

/** "onload=" alone is prose; inside markup or right after a quote (attribute breakout) it is not. */
function hasEventHandler(text: string): boolean {
  const match = EVENT_HANDLER.exec(text);
  return match !== null && (TAG_OPEN.test(text) || /['"]/.test(text.slice(0, match.index + 1)));
}

const TRAVERSAL: readonly RegExp[] = [
  // "...\n" (an escaped newline after an ellipsis) is not "..\"; "....//" and "....\....\"
  // (filter evasion) still contain "../" and "..\..".
  /\.\.\/|(?:^|[^.])\.\.\\|\.\.\\\.\.|\.\.;\/|[/\\]\.\.$/,
  /\/etc\/(?:passwd|shadow)\b|\/proc\/self\/(?:environ|cmdline)\b|\b(?:win|boot)\.ini\b/,
];

// A shell separator, then a command; the command must look like it is being run (flag, path,
// URL, address or end of input), so "; cat owners" and "cats & dogs" stay prose.
// A newline is only followed by blanks: "\n\s*" would rescan the same whitespace from every
// newline of a blank-heavy field, which is quadratic.
const SHELL_SEPARATOR = String.raw`(?:(?:[;\x60|]|&&?|\$\()\s*|\n[ \t]*)(?:(?:/usr)?/s?bin/)?`;
// A lone '&' is also the query-string separator, so "?debug&env" must not read as "& env".
const STRICT_SEPARATOR = String.raw`(?:(?:[;\x60|]|&&|\$\()\s*|\n[ \t]*)(?:(?:/usr)?/s?bin/)?`;
const COMMAND_INJECTION: readonly RegExp[] = [
  new RegExp(
    SHELL_SEPARATOR +
      String.raw`(?:cat|ls|nc|ncat|netcat|wget|curl|bash|sh|zsh|dash|ksh|powershell|pwsh|cmd|python[23]?|perl|ruby|php|rm|chmod|echo|nslookup|ping|telnet|busybox|base64|sleep)(?:\.exe)?` +
      String.raw`(?:\s+(?:-|/|\.|~|\$|https?:|ftp:|\d|[a-z]:\\|[\w.-]+/)|\$\{?ifs\b|<)`,
  ),
  new RegExp(
    STRICT_SEPARATOR +
      String.raw`(?:id|ls|pwd|env|bash|sh|zsh|whoami|uname|hostname|ifconfig|ipconfig|netstat)\s*(?:$|[;|&#\x60)'"\n])`,
  ),
  new RegExp(SHELL_SEPARATOR + String.raw`(?:whoami|uname|ifconfig|ipconfig|systeminfo|net\s+user)\b`),
  /\/bin\/(?:ba|da|z|k)?sh\b|\/dev\/tcp\/|\$\{?ifs\b/,
  // Shellshock: a function definition smuggled in a header
  /\(\)\s*\{\s*(?::\s*)?;\s*\}\s*;/,
];

// Log4j lookups nest, so strip the innermost ones (${lower:j}, ${::-j}, ${env:X:-j}) until
// only plain text is left, then look for ${jndi:.
const INNERMOST_LOOKUP = /\$\{([^${}]*)\}/g;
const JNDI = /\$\{jndi:|\bjndi:(?:ldaps?|rmi|dns|iiop|corba|nds|nis|https?):/;

function unwrapLookup(whole: string, body: string): string {
  const fallback = body.indexOf(':-');
  if (fallback >= 0) {
    return body.slice(fallback + 2);
  }
  const known = /^(lower|upper):(.*)$|^date:'([^']*)'$/.exec(body);
  if (!known) {
    return whole.replace('${', '\u0000{');
  }
  // ${upper:ı} is "I": the dotless i trick only survives if upper-casing really happens.
  return known[1] === 'upper' ? known[2].toUpperCase().toLowerCase() : (known[2] ?? known[3] ?? '');
}

function log4ShellIn(text: string): boolean {
  if (JNDI.test(text)) {
    return true;
  }
  if (!text.includes('${')) {
    return false;
  }
  let out = text;
  for (let pass = 0; pass < 8 && out.includes('${'); pass++) {
    const next = out.replace(INNERMOST_LOOKUP, unwrapLookup);
    if (next === out) {
      break;
    }
    out = next;
  }
  return JNDI.test(out.replace(/\0\{/g, '${'));
}

const SCANNER_AGENT =
  /\b(?:sqlmap|nikto|nmap|masscan|zgrab|zmap|nuclei|gobuster|dirbuster|dirb|wpscan|joomscan|acunetix|nessus|openvas|w3af|whatweb|feroxbuster|ffuf|jaeles|arachni|netsparker|appscan|skipfish|wfuzz|commix|xsstrike|hydra)\b|fuzz faster u fool|projectdiscovery|(?<!python-)\bhttpx\b/;

const SENSITIVE_PATH: readonly RegExp[] = [
  /\/\.env(?:[._~-][\w.~-]*)?(?=$|[/;])/,
  /\/\.(?:git|svn|hg|bzr)(?:\/|$)|\/\.git-credentials\b/,
  /wp-config\.php|\/\.ht(?:passwd|access)\b|\/\.ds_store\b|\/phpinfo\.php\b|\/server-(?:status|info)\b/,
  /\/etc\/(?:passwd|shadow)\b|\/\.aws\/(?:credentials|config)\b|\/\.ssh\/(?:id_(?:rsa|dsa|ecdsa|ed25519)|authorized_keys)\b/,
  /\/(?:backup|dump|database|db)\.sql\b|\/\.(?:npmrc|pypirc|netrc|bash_history)\b|\/\.docker\/config\.json\b/,
  /\/actuator\/(?:env|heapdump)\b/,
];

/** Only the path: split on the raw '?' or '#' before decoding so an encoded %3f cannot hide it. */
function pathForInspection(urlOrPath: string): string {
  const capped = urlOrPath.slice(0, MAX_INSPECT).replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const end = capped.search(/[?#]/);
  return decodeCached(end < 0 ? capped : capped.slice(0, end)).replace(/\\/g, '/');
}

export const hasSqlInjection = (text: string): boolean => anyMatch(SQLI, decodeForInspection(text));
export const hasXss = (text: string): boolean => xssIn(decodeForInspection(text));
export const hasPathTraversal = (text: string): boolean => anyMatch(TRAVERSAL, decodeForInspection(text));
export const hasCommandInjection = (text: string): boolean => anyMatch(COMMAND_INJECTION, decodeForInspection(text));
export const hasLog4Shell = (text: string): boolean => log4ShellIn(decodeForInspection(text));
export const isScannerUserAgent = (ua: string): boolean => SCANNER_AGENT.test(decodeForInspection(ua));
export const isSensitiveFileProbe = (urlOrPath: string): boolean =>
  anyMatch(SENSITIVE_PATH, pathForInspection(urlOrPath));

function xssIn(text: string): boolean {
  return anyMatch(XSS, text) || hasEventHandler(text);
}

// sshd's pre-authentication probes (parsers/sshd.ts SSHD_PROBE_KINDS, as `ssh_<kind>`): no
// identification, bad banner, no common algorithm, login grace timeout, "scanned from",
// tcpwrappers refusals, MaxStartups drops, MaxAuthTries reached. Scanners, not password guesses.
const SSH_PROBE_TYPE =
  /^ssh_(?:no_identification|bad_protocol|unable_to_negotiate|preauth_timeout|scan_probe|refused_connect|dropped_connection|protocol_error|max_auth_attempts|too_many_auth_failures)$/;

interface Inspected {
  field: string;
  text: string;
  /** False when no gated pattern can match the text (see PAYLOAD_GATE). */
  suspect?: boolean;
}

// One scan of a field with the union of the payload patterns (those without back-references,
// whose numbering a union would break) tells whether any of them can match: a benign field costs
// one scan instead of twenty. The others always run.
const hasBackReference = (pattern: RegExp): boolean => /\\[1-9]/.test(pattern.source);
const GATED = new Set(
  [...SQLI, ...XSS, ...TRAVERSAL, ...COMMAND_INJECTION, EVENT_HANDLER].filter((pattern) => !hasBackReference(pattern)),
);
const PAYLOAD_GATE = unionGate([...GATED].map((pattern) => pattern.source));

const payloadGate = rememberedTest(PAYLOAD_GATE);

/**
 * For a pattern outside the payload gate (a back-reference), a cheap test that it may match:
 * one of the literals every match contains is in the text, or a special character is.
 */
function mayMatchTest(pattern: RegExp): (text: string) => boolean {
  const { literals, special } = sourceFacts(pattern.source, pattern.flags.includes('i'));
  if (literals !== null) {
    return (text) => literals.some((literal) => text.includes(literal));
  }
  return special ? hasSpecial : () => true;
}
const MAY_MATCH = new Map(
  [...SQLI, ...XSS, ...TRAVERSAL, ...COMMAND_INJECTION].filter((p) => !GATED.has(p)).map((p) => [p, mayMatchTest(p)]),
);
/** Per pattern list, the indices of its patterns outside the payload gate. */
const UNGATED = new Map<readonly RegExp[], number[]>();
const sensitivePathGate = unionGate(SENSITIVE_PATH.map((pattern) => pattern.source));
const scannerAgent = rememberedTest((text) => SCANNER_AGENT.test(text));

/** The URL and the message are new with every request; user agents and referers repeat. */
const isUnique = (item: Inspected): boolean => item.field === 'url' || item.field === 'message';

function suspect(item: Inspected): boolean {
  return (item.suspect ??= isUnique(item) ? PAYLOAD_GATE(item.text) : payloadGate(item.text));
}

/** The first of `patterns` that matches the item's text: its index and matched text, or null. */
function firstMatch(patterns: readonly RegExp[], item: Inspected): [number, string] | null {
  let ungated = UNGATED.get(patterns);
  if (ungated === undefined) {
    ungated = patterns.flatMap((pattern, index) => (GATED.has(pattern) ? [] : [index]));
    UNGATED.set(patterns, ungated);
  }
  const { text } = item;
  const indices = suspect(item) ? undefined : ungated;
  const count = indices === undefined ? patterns.length : indices.length;
  for (let k = 0; k < count; k += 1) {
    const index = indices === undefined ? k : indices[k];
    const pattern = patterns[index];
    if (!GATED.has(pattern) && MAY_MATCH.get(pattern)?.(text) === false) {
      continue;
    }
    const match = pattern.exec(text);
    if (match !== null) {
      return [index, match[0]];
    }
  }
  return null;
}

/** Per pattern list, firstMatch's answers for short texts of fields that repeat (user agents…). */
const REMEMBERED = new Map<readonly RegExp[], Map<string, [number, string] | null>>();

function rememberedFirstMatch(patterns: readonly RegExp[], item: Inspected): [number, string] | null {
  if (isUnique(item) || item.text.length > 512) {
    return firstMatch(patterns, item);
  }
  let seen = REMEMBERED.get(patterns);
  if (seen === undefined) {
    seen = new Map();
    REMEMBERED.set(patterns, seen);
  }
  let answer = seen.get(item.text);
  if (answer === undefined) {
    if (seen.size >= 4096) {
      seen.clear();
    }
    answer = firstMatch(patterns, item);
    seen.set(item.text, answer);
  }
  return answer;
}

function regexMatches(
  signal: Signal,
  prefix: string,
  patterns: readonly RegExp[],
  inspected: readonly Inspected[],
  out: SignalMatch[],
): void {
  for (const item of inspected) {
    const hit = rememberedFirstMatch(patterns, item);
    if (hit !== null) {
      out.push({ signal, ruleId: `${prefix}-${hit[0] + 1}`, field: item.field, matched: matchedText(hit[1]) });
      return;
    }
  }
}

function xssMatch(inspected: readonly Inspected[], out: SignalMatch[]): void {
  const before = out.length;
  regexMatches('xss', 'builtin-xss', XSS, inspected, out);
  if (out.length > before) {
    return;
  }
  const hit = inspected.find((item) => suspect(item) && hasEventHandler(item.text));
  if (hit !== undefined) {
    const at = EVENT_HANDLER.exec(hit.text);
    out.push({ signal: 'xss', ruleId: 'builtin-xss-handler', field: hit.field, matched: matchedText(at?.[0] ?? '') });
  }
}

/**
 * The built-in web detectors' hits: SQL injection, XSS, path traversal, command injection,
 * Log4Shell (nested lookups need code, not a pattern), scanner user agents, sensitive paths.
 * Each field is decoded once. The rules in rules/web/ add to these (see rules/web-detection.ts).
 */
/** An access log's message is its request line, `METHOD url HTTP/x`: the url says it all. */
function isRequestLine(event: DetectableEvent): boolean {
  const { url, message } = event;
  return url !== undefined && message !== undefined && message.length <= url.length + 32 && message.includes(url);
}

/**
 * `view`: the event's decoded web fields (rules/web-fields.ts) when it has them, so that each
 * field is decoded once for both layers.
 */
export function builtinWebMatches(
  event: DetectableEvent,
  message?: string,
  view?: Readonly<Record<string, string | undefined>> | null,
): SignalMatch[] {
  const inspected: Inspected[] = [];
  const add = (field: string, value: string | undefined, decoded?: string): void => {
    if (value !== undefined && value !== '') {
      inspected.push({ field, text: decoded ?? decodeCached(value) });
    }
  };
  add('url', event.url, view?.['cs-uri']);
  if (!isRequestLine(event)) {
    add('message', event.message, message);
  }
  add('userAgent', event.userAgent, view?.['c-useragent']);
  add('referer', event.referer, view?.['cs-referer']);
  for (const [name, value] of Object.entries(event.httpHeaders ?? {})) {
    add(name, value, view?.[`cs-${name.toLowerCase()}`]);
  }
  const out: SignalMatch[] = [];
  regexMatches('sql_injection', 'builtin-sqli', SQLI, inspected, out);
  xssMatch(inspected, out);
  const pathLike = inspected.filter(({ field }) => field === 'url' || field === 'message');
  regexMatches('path_traversal', 'builtin-traversal', TRAVERSAL, pathLike, out);
  regexMatches('command_injection', 'builtin-cmdi', COMMAND_INJECTION, inspected, out);
  const user = event.user === undefined ? [] : [{ field: 'user', text: decodeForInspection(event.user) }];
  const lookup = [...inspected, ...user].find(({ text }) => log4ShellIn(text));
  if (lookup !== undefined) {
    out.push({
      signal: 'log4shell',
      ruleId: 'builtin-log4shell',
      field: lookup.field,
      matched: matchedText(lookup.text),
    });
  }
  const agent = inspected.find(({ field }) => field === 'userAgent');
  if (agent !== undefined && scannerAgent(agent.text)) {
    regexMatches('scanner', 'builtin-scanner-agent', [SCANNER_AGENT], [agent], out);
  }
  if (event.url !== undefined) {
    const stem = view?.['cs-uri-stem'];
    const path =
      stem === undefined ? pathForInspection(event.url) : stem.includes('\\') ? stem.replace(/\\/g, '/') : stem;
    if (sensitivePathGate(path)) {
      regexMatches('sensitive_file_probe', 'builtin-sensitive', SENSITIVE_PATH, [{ field: 'url', text: path }], out);
    }
  }
  return out;
}

/** Every hit for one event: authentication lines, the built-in web detectors, the web rules. */
export function detectMatches(event: DetectableEvent): SignalMatch[] {
  // A request line is no authentication log line: only the event's type and outcome can say.
  const message = isRequestLine(event) ? '' : decodeForInspection(event.message ?? '');
  const type = eventTypeOf(event);
  const out: SignalMatch[] = [];
  if (authFailureIn(type, event.outcome, message)) {
    out.push({ signal: 'auth_failure', ruleId: 'builtin-auth-failure', field: 'message', matched: '' });
  } else if (authSuccessIn(type, event.outcome, message)) {
    out.push({ signal: 'auth_success', ruleId: 'builtin-auth-success', field: 'message', matched: '' });
  }
  if (SSH_PROBE_TYPE.test(type)) {
    out.push({ signal: 'ssh_probe', ruleId: 'builtin-ssh-probe', field: 'eventType', matched: type });
  }
  const view = webFieldsOf(event);
  out.push(...builtinWebMatches(event, message, view), ...webRuleMatches(event, undefined, view));
  return out;
}

/** Distinct signals for one event, in SIGNALS order. */
export function detectSignals(event: DetectableEvent): Signal[] {
  return signalsOf(detectMatches(event));
}

function signalsOf(matches: readonly SignalMatch[]): Signal[] {
  const found = new Set(matches.map((match) => match.signal));
  return SIGNALS.filter((signal) => found.has(signal));
}

/** The event with the signals its fields show, and why. */
export function tag(event: NormalisedEvent): TaggedEvent {
  const matches = detectMatches(event);
  // Object.assign, not a spread plus a key: V8 clones a spread object fast but then pays a map
  // transition for the extra key, about a microsecond per event on the hot path.
  return matches.length === 0
    ? Object.assign({}, event, { signals: [] })
    : Object.assign({}, event, { signals: signalsOf(matches), matches });
}

/** Every built-in web pattern, for the adversarial and structural tests (rules/web's are checked at load). */
export const BUILTIN_WEB_PATTERNS: readonly RegExp[] = [
  ...SQLI,
  ...XSS,
  EVENT_HANDLER,
  ...TRAVERSAL,
  ...COMMAND_INJECTION,
  JNDI,
  SCANNER_AGENT,
  ...SENSITIVE_PATH,
];
