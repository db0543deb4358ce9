import { stripUnsafe } from '../src/context/sanitise';
import { DATAMARK } from '../src/llm/prompt';

/**
 * The isolation check shared by the unit-level prompt spec and the end-to-end test: no
 * 12-character run of a hostile payload (as written, as the sanitiser would clean it, or as a
 * decoder would turn it back) may appear, case-insensitively, in what is sent to the model.
 * Runs of one repeated character, and runs that also occur in a benign request of the same
 * shape (our own prompt, tool schema, field names), prove nothing and are skipped; every
 * payload must keep runs to check, so that none passes vacuously.
 */
export const WINDOW = 12;

export function windowsOf(texts: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const text of texts) {
    const lower = text.toLowerCase();
    for (let i = 0; i + WINDOW <= lower.length; i++) {
      out.add(lower.slice(i, i + WINDOW));
    }
  }
  return out;
}

function decodeUri(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Unicode tag characters (U+E0020-E007E) smuggle invisible ASCII. */
function untag(text: string): string {
  return [...text]
    .map((c) => {
      const code = c.codePointAt(0) ?? 0;
      return code >= 0xe0020 && code <= 0xe007e ? String.fromCharCode(code - 0xe0000) : c;
    })
    .join('');
}

/** Latin look-alikes of Cyrillic and Greek letters, enough to read a homoglyph payload. */
// prettier-ignore
const CONFUSABLES: Record<string, string> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ј: 'j', ѕ: 's', к: 'k', м: 'm', т: 't', н: 'h',
  в: 'b', А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', І: 'I',
  ο: 'o', α: 'a', ε: 'e', ι: 'i', ν: 'v', ρ: 'p', τ: 't', υ: 'u', Ι: 'I', Ο: 'O',
};

function skeleton(text: string): string {
  return [...text].map((c) => CONFUSABLES[c] ?? c).join('');
}

/** The payload as given, as the sanitiser sees it, and as decoders would turn it back. */
export function payloadVariants(payload: string): string[] {
  const clean = stripUnsafe(payload);
  const found = [payload, clean, clean.replace(/\s+/g, ' '), decodeUri(payload), untag(payload), skeleton(clean)];
  const compact = payload.replace(/\s+/g, '');
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(compact) && compact.length >= 16) {
    found.push(Buffer.from(compact, 'base64').toString('utf8'));
  }
  return found;
}

export function checkableWindows(payload: string, baseline: ReadonlySet<string>): string[] {
  return [...windowsOf(payloadVariants(payload))].filter((w) => new Set(w).size > 1 && !baseline.has(w));
}

/** Every string in a value: keys and leaves. */
export function stringsOf(value: unknown): string[] {
  if (typeof value === 'string') {
    return [value];
  }
  if (Array.isArray(value)) {
    return value.flatMap(stringsOf);
  }
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => [k, ...stringsOf(v)]);
  }
  return [];
}

/** JSON documents embedded in a string (the data block), parsed, so that escaped text is seen unescaped. */
function embedded(text: string): unknown[] {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start < 0 || end <= start) {
    return [];
  }
  try {
    return [JSON.parse(text.slice(start, end + 1))];
  } catch {
    return [];
  }
}

/**
 * What the model could read in a request: the raw body, every string in it, every string of
 * the JSON inside them, and all of those with the datamark read back as a space.
 */
export function exposedTexts(raw: string, parsed: unknown): string[] {
  const strings = stringsOf(parsed);
  const inner = strings.flatMap((s) => embedded(s)).flatMap(stringsOf);
  const all = withoutBoundary([raw, ...strings, ...inner]);
  return [...all, ...all.map((s) => s.split(DATAMARK).join(' '))];
}

/**
 * The request's own boundary (the one its data block opens with) is random, ours, and differs
 * from the benign request's: left in, a payload that guesses at a boundary (`boundary="0000…`)
 * would "leak" whenever the real one happens to start with the same digits. It is replaced by
 * a fixed word; a boundary the payload brought in stays as it came.
 */
function withoutBoundary(texts: string[]): string[] {
  const boundary = texts.map((text) => /<triage_data boundary="([0-9a-f]{24})">/.exec(text)?.[1]).find(Boolean);
  return boundary === undefined ? texts : texts.map((text) => text.split(boundary).join('request-boundary'));
}

export function leaksOf(exposed: ReadonlySet<string>, payload: string, baseline: ReadonlySet<string>): string[] {
  return checkableWindows(payload, baseline).filter((w) => exposed.has(w));
}
