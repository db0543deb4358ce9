import type { DetectableEvent, NormalisedEvent, TaggedEvent } from '../event';
import { SIGNALS, type Signal } from './signal';

/**
 * Signal detectors: pure, synchronous, run on the ingest hot path for every event. Every regex
 * is compiled once here and written without nested or overlapping quantifiers, and every field
 * is cut to MAX_INSPECT characters first, so a hostile field costs linear time at worst.
 */
const MAX_INSPECT = 8 * 1024;

// ---------------------------------------------------------------- normalisation

const URL_ESCAPE = /%u([0-9a-f]{4})|(?:%[0-9a-f]{2})+/gi;
// Semicolon-less forms only for the legacy entities browsers still accept that way.
const HTML_ENTITY =
  /&(?:#x0*([0-9a-f]{1,6});?|#0*(\d{1,7});?|(lt|gt|amp|quot);?|(apos|sol|bsol|colon|lpar|rpar|tab|newline|grave|equals|nbsp);)/gi;
const NAMED_ENTITY: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
  sol: '/',
  bsol: '\\',
  colon: ':',
  lpar: '(',
  rpar: ')',
  tab: '\t',
  newline: '\n',
  grave: '`',
  equals: '=',
  nbsp: ' ',
};

/**
 * Decodes a run of %XX bytes as UTF-8 without ever throwing. Overlong forms are accepted on
 * purpose (%c0%ae is '.' to an old IIS or Tomcat, so it must be '.' to us too); a byte that
 * starts no valid sequence is kept as its Latin-1 character.
 */
function decodeUtf8Leniently(run: string): string {
  const bytes: number[] = [];
  for (let i = 1; i < run.length; i += 3) {
    bytes.push(parseInt(run.slice(i, i + 2), 16));
  }
  let out = '';
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i];
    const size = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    let ok = size > 1 && i + size <= bytes.length;
    let code = lead & (0x7f >> size);
    for (let k = 1; ok && k < size; k++) {
      ok = (bytes[i + k] & 0xc0) === 0x80;
      code = (code << 6) | (bytes[i + k] & 0x3f);
    }
    if (ok && code <= 0x10ffff) {
      out += String.fromCodePoint(code);
      i += size;
    } else {
      out += String.fromCharCode(lead);
      i += 1;
    }
  }
  return out;
}

function urlDecodeOnce(text: string): string {
  // '+' first, so that an encoded %2B stays a plus until the next round.
  return text
    .replace(/\+/g, ' ')
    .replace(URL_ESCAPE, (match: string, wide?: string) =>
      wide === undefined ? decodeUtf8Leniently(match) : String.fromCharCode(parseInt(wide, 16)),
    );
}

function decodeHtmlEntities(text: string): string {
  if (!text.includes('&')) {
    return text;
  }
  return text.replace(HTML_ENTITY, (match, hex?: string, dec?: string, legacy?: string, named?: string) => {
    if (legacy ?? named) {
      return NAMED_ENTITY[(legacy ?? named ?? '').toLowerCase()] ?? match;
    }
    const code = hex === undefined ? parseInt(dec ?? '', 10) : parseInt(hex, 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : match;
  });
}

/**
 * Replaces SQL comments with a space (`UN/**\/ION` tricks) in one linear scan. The body of a
 * MySQL executable comment (`/*!50000UNION*\/`) is kept, because MySQL runs it.
 */
function collapseSqlComments(text: string): string {
  let start = text.indexOf('/*');
  if (start < 0) {
    return text;
  }
  let out = '';
  let from = 0;
  while (start >= 0) {
    const end = text.indexOf('*/', start + 2);
    if (end < 0) {
      break;
    }
    const body = text.slice(start + 2, end);
    out += text.slice(from, start) + (body.startsWith('!') ? ` ${body.replace(/^!\d*/, '')} ` : ' ');
    from = end + 2;
    start = text.indexOf('/*', from);
  }
  return out + text.slice(from);
}

/**
 * Normalises untrusted text before inspection: at most 8 KiB, URL-decoded up to three rounds
 * (double and triple encoding), HTML entities decoded, NUL bytes dropped, lower-cased, SQL
 * comments collapsed. Never throws, whatever the input.
 */
export function decodeForInspection(text: string): string {
  let out = text.length > MAX_INSPECT ? text.slice(0, MAX_INSPECT) : text;
  for (let round = 0; round < 3; round++) {
    const next = urlDecodeOnce(out);
    if (next === out) {
      break;
    }
    out = next;
  }
  out = decodeHtmlEntities(out).replace(/\0/g, '').toLowerCase();
  return collapseSqlComments(out);
}

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
  return anyMatch(AUTH_SUCCESS_LINES, message);
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
  return decodeForInspection(end < 0 ? capped : capped.slice(0, end)).replace(/\\/g, '/');
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

/** Distinct signals for one event, in SIGNALS order. Each field is decoded once. */
export function detectSignals(event: DetectableEvent): Signal[] {
  const url = decodeForInspection(event.url ?? '');
  const message = decodeForInspection(event.message ?? '');
  const agent = decodeForInspection(event.userAgent ?? '');
  const payloads = [url, message, agent].filter((text) => text.length > 0);
  const type = eventTypeOf(event);
  const found: Record<Signal, boolean> = {
    auth_failure: authFailureIn(type, event.outcome, message),
    auth_success: authSuccessIn(type, event.outcome, message),
    sql_injection: payloads.some((text) => anyMatch(SQLI, text)),
    xss: payloads.some(xssIn),
    path_traversal: anyMatch(TRAVERSAL, url) || anyMatch(TRAVERSAL, message),
    command_injection: payloads.some((text) => anyMatch(COMMAND_INJECTION, text)),
    log4shell: [...payloads, decodeForInspection(event.user ?? '')].some(log4ShellIn),
    scanner: SCANNER_AGENT.test(agent),
    sensitive_file_probe: event.url !== undefined && isSensitiveFileProbe(event.url),
    ssh_probe: SSH_PROBE_TYPE.test(type),
  };
  return SIGNALS.filter((signal) => found[signal]);
}

/** The event with the signals its fields show. */
export function tag(event: NormalisedEvent): TaggedEvent {
  return { ...event, signals: detectSignals(event) };
}
