/**
 * The one decoding every detector applies before it looks at untrusted text (see
 * decodeForInspection). Every field is cut to MAX_INSPECT characters first, so a hostile field
 * costs linear time at worst.
 */
export const MAX_INSPECT = 8 * 1024;

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

// JavaScript and C escapes of markup characters (\u003c, \x3c): payloads use them where a page
// decodes them again. Only these characters, so a Windows path such as C:\x64 stays as it is.
const SCRIPT_ESCAPE = /\\(?:u00|x)(2[2-9]|3[bcde]|60)/gi;

function decodeScriptEscapes(text: string): string {
  return text.includes('\\')
    ? text.replace(SCRIPT_ESCAPE, (_match, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : text;
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
const CACHE_LIMIT = 2048;
const CACHED_LENGTH = 512;
const decoded = new Map<string, string>();

/**
 * decodeForInspection through a small cache: user agents and referers repeat from request to
 * request, and one event's fields are read by several detectors. Only short texts are kept, and
 * the cache is emptied when full, so it holds at most 2,048 entries of 512 characters.
 */
export function decodeCached(text: string): string {
  if (text.length > CACHED_LENGTH) {
    return decodeForInspection(text);
  }
  let out = decoded.get(text);
  if (out === undefined) {
    if (decoded.size >= CACHE_LIMIT) {
      decoded.clear();
    }
    out = decodeForInspection(text);
    decoded.set(text, out);
  }
  return out;
}

// Characters that old IIS and some normalising stacks read as '.', '/' or '\\' (fullwidth
// forms, the division slash and set minus of %u2215 and %u2216 payloads).
// Typographic quotes and primes read as quotes, and the fullwidth < > " ' that IIS maps to ASCII.
const LOOKALIKE = /[\uff0e\uff0f\uff3c\u2215\u2216\u2044\uff1c\uff1e\uff02\uff07\u2018\u2019\u2032\u201c\u201d\u2033]/g;
const LOOKALIKES: Readonly<Record<string, string>> = {
  '\uff0e': '.',
  '\uff0f': '/',
  '\uff3c': '\\',
  '\u2215': '/',
  '\u2216': '\\',
  '\u2044': '/',
  '\uff1c': '<',
  '\uff1e': '>',
  '\uff02': '"',
  '\uff07': "'",
  '\u2018': "'",
  '\u2019': "'",
  '\u2032': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u2033': '"',
};

// Text with none of these needs no decoding step but lower-casing and the SQL comment scan.
const NEEDS_DECODING = /[%+&\\\0\u0080-\uffff]/;
const NON_ASCII = /[\u0080-\uffff]/;

export function decodeForInspection(text: string): string {
  let out = text.length > MAX_INSPECT ? text.slice(0, MAX_INSPECT) : text;
  if (!NEEDS_DECODING.test(out)) {
    return collapseSqlComments(out.toLowerCase());
  }
  for (let round = 0; round < 3 && (out.includes('%') || out.includes('+')); round++) {
    const next = urlDecodeOnce(out);
    if (next === out) {
      break;
    }
    out = next;
  }
  out = decodeScriptEscapes(decodeHtmlEntities(out));
  if (out.includes('\0')) {
    out = out.replace(/\0/g, '');
  }
  if (NON_ASCII.test(out)) {
    out = out.replace(LOOKALIKE, (char) => LOOKALIKES[char] ?? char);
  }
  out = out.toLowerCase();
  return collapseSqlComments(out);
}

const MATCHED_CAP = 200;

/** The matched text for a SignalMatch: at most 200 characters, control characters shown as `?`. */
export function matchedText(text: string): string {
  const cut = text.length > MATCHED_CAP ? `${text.slice(0, MATCHED_CAP - 1)}…` : text;
  // eslint-disable-next-line no-control-regex -- replacing control characters is the point
  return cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/**
 * A test on text, remembered for short texts: user agents, referers and paths repeat from
 * request to request. At most 4,096 entries of 512 characters; emptied when full.
 */
export function rememberedTest(test: (text: string) => boolean): (text: string) => boolean {
  const seen = new Map<string, boolean>();
  return (text) => {
    if (text.length > CACHED_LENGTH) {
      return test(text);
    }
    let result = seen.get(text);
    if (result === undefined) {
      if (seen.size >= 4096) {
        seen.clear();
      }
      result = test(text);
      seen.set(text, result);
    }
    return result;
  };
}
