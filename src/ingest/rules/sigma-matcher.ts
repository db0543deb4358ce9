import { unsafeRegexReason } from './regex-safety';
import { unionGate } from './union-gate';

/**
 * One `field|modifier|…: value(s)` line of a Sigma selection, compiled. Values are matched
 * case-insensitively against text that is already decoded and lower-cased (see web-fields.ts).
 *
 * Supported modifiers: contains, startswith, endswith, all, re (with i, m, s), exists,
 * gt, gte, lt, lte (numbers), cased is refused (the text is lower-cased). Plain values and the
 * three string modifiers understand Sigma's wildcards `*` and `?` (`\*`, `\?`, `\\` escape them).
 */
export type FieldView = Readonly<Record<string, string | undefined>>;

export interface FieldHit {
  field: string;
  matched: string;
}

export interface FieldMatcher {
  field: string;
  /** For a plain `re` list: its expression, which a rule set may merge into one gate per field. */
  gate?: string;
  test(view: FieldView): FieldHit | null;
}

export class MatcherError extends Error {}

type Kind = 'equals' | 'contains' | 'startswith' | 'endswith';
const NUMERIC = ['gt', 'gte', 'lt', 'lte'] as const;
type Numeric = (typeof NUMERIC)[number];
const SUPPORTED = new Set(['contains', 'startswith', 'endswith', 'all', 're', 'i', 'm', 's', 'exists', ...NUMERIC]);

/** A glob's literal pieces between `*`s; `?` stays as a one-character hole (code 0 marks it). */
const HOLE = '\u0000';
function globPieces(value: string): string[] {
  const pieces: string[] = [''];
  for (let i = 0; i < value.length; i += 1) {
    const char = value[i];
    if (char === '\\' && ['*', '?', '\\'].includes(value[i + 1] ?? '')) {
      pieces[pieces.length - 1] += value[i + 1];
      i += 1;
    } else if (char === '*') {
      pieces.push('');
    } else {
      pieces[pieces.length - 1] += char === '?' ? HOLE : char;
    }
  }
  return pieces;
}

function pieceAt(text: string, piece: string, at: number): boolean {
  if (at < 0 || at + piece.length > text.length) {
    return false;
  }
  for (let k = 0; k < piece.length; k += 1) {
    if (piece[k] !== HOLE && piece[k] !== text[at + k]) {
      return false;
    }
  }
  return true;
}

function findPiece(text: string, piece: string, from: number): number {
  if (!piece.includes(HOLE)) {
    return text.indexOf(piece, from);
  }
  for (let at = from; at + piece.length <= text.length; at += 1) {
    if (pieceAt(text, piece, at)) {
      return at;
    }
  }
  return -1;
}

/**
 * Glob match, leftmost and greedy-free: each literal piece is found after the previous one, which
 * is exact for `*` globs and costs O(text × pieces) at worst, never exponential.
 * Returns the matched span or null.
 */
function globMatch(text: string, pieces: readonly string[], kind: Kind): [number, number] | null {
  const anchoredStart = kind === 'equals' || kind === 'startswith';
  const anchoredEnd = kind === 'equals' || kind === 'endswith';
  const first = pieces[0];
  const last = pieces[pieces.length - 1];
  if (pieces.length === 1) {
    if (anchoredStart && anchoredEnd) {
      return text.length === first.length && pieceAt(text, first, 0) ? [0, text.length] : null;
    }
    const at = anchoredStart ? (pieceAt(text, first, 0) ? 0 : -1) : anchoredEnd ? text.length - first.length : -2;
    if (at === -2) {
      const found = findPiece(text, first, 0);
      return found < 0 ? null : [found, found + first.length];
    }
    return at >= 0 && pieceAt(text, first, at) ? [at, at + first.length] : null;
  }
  let start: number;
  if (anchoredStart) {
    if (!pieceAt(text, first, 0)) {
      return null;
    }
    start = 0;
  } else {
    start = findPiece(text, first, 0);
    if (start < 0) {
      return null;
    }
  }
  let cursor = start + first.length;
  for (const piece of pieces.slice(1, -1)) {
    const found = findPiece(text, piece, cursor);
    if (found < 0) {
      return null;
    }
    cursor = found + piece.length;
  }
  if (anchoredEnd) {
    const at = text.length - last.length;
    return at >= cursor && pieceAt(text, last, at) ? [start, text.length] : null;
  }
  const found = findPiece(text, last, cursor);
  return found < 0 ? null : [start, found + last.length];
}

function stringTest(kind: Kind, value: string): (text: string) => [number, number] | null {
  const pieces = globPieces(value.toLowerCase());
  if (pieces.length === 1 && !pieces[0].includes(HOLE) && kind === 'contains') {
    const literal = pieces[0];
    return (text) => {
      const at = text.indexOf(literal);
      return at < 0 ? null : [at, at + literal.length];
    };
  }
  return (text) => globMatch(text, pieces, kind);
}

function regexTest(value: string, flags: string): (text: string) => [number, number] | null {
  const unsafe = unsafeRegexReason(value);
  if (unsafe !== null) {
    throw new MatcherError(`regular expression refused: ${unsafe}`);
  }
  let regex: RegExp;
  try {
    regex = new RegExp(value, `i${flags}`);
  } catch (error) {
    throw new MatcherError(`invalid regular expression: ${(error as Error).message}`);
  }
  return (text) => {
    const match = regex.exec(text);
    return match === null ? null : [match.index, match.index + match[0].length];
  };
}

function numericTest(op: Numeric, value: unknown): (text: string) => [number, number] | null {
  if (typeof value !== 'number') {
    throw new MatcherError(`|${op} needs a number`);
  }
  return (text) => {
    const n = text === '' ? NaN : Number(text);
    const holds = op === 'gt' ? n > value : op === 'gte' ? n >= value : op === 'lt' ? n < value : n <= value;
    return holds ? [0, text.length] : null;
  };
}

function scalar(value: unknown): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  throw new MatcherError('values must be strings, numbers, booleans or null');
}

/** Compiles `key` (field plus modifiers) and its value or list of values. */
export function compileFieldMatcher(key: string, raw: unknown, knownField: (field: string) => boolean): FieldMatcher {
  const [field, ...modifiers] = key.split('|').map((part) => part.trim());
  const name = field.toLowerCase();
  if (!knownField(name)) {
    throw new MatcherError(`unknown field "${field}"`);
  }
  for (const modifier of modifiers) {
    if (!SUPPORTED.has(modifier)) {
      throw new MatcherError(`modifier "${modifier}" is not supported`);
    }
  }
  const values: unknown[] = Array.isArray(raw) ? raw : [raw];
  if (values.length === 0) {
    throw new MatcherError(`"${key}" has an empty list of values`);
  }
  if (modifiers.includes('exists')) {
    const wanted = values[0] === true;
    return {
      field: name,
      test: (view) => ((view[name] !== undefined) === wanted ? { field: name, matched: '' } : null),
    };
  }
  const numeric = NUMERIC.find((op) => modifiers.includes(op));
  const kind: Kind = modifiers.includes('contains')
    ? 'contains'
    : modifiers.includes('startswith')
      ? 'startswith'
      : modifiers.includes('endswith')
        ? 'endswith'
        : 'equals';
  const flags = ['m', 's'].filter((flag) => modifiers.includes(flag)).join('');
  const all = modifiers.includes('all');
  const plainRe = modifiers.includes('re') && !all && flags === '' && values.every((v) => typeof v === 'string');
  const combinable = plainRe && values.length > 1;
  // Alternatives of one list are one expression: a single scan of the text instead of one per
  // value (each is checked on its own first, so a bad one is named; none may hold a back-reference).
  const tests = (combinable ? [values.map((v) => (regexTest(v, flags), `(?:${v})`)).join('|')] : values).map(
    (value) => {
      if (value === null) {
        return (text: string): [number, number] | null => (text === '' ? [0, 0] : null);
      }
      if (numeric !== undefined) {
        return numericTest(numeric, value);
      }
      return modifiers.includes('re') ? regexTest(scalar(value), flags) : stringTest(kind, scalar(value));
    },
  );
  // A plain `re` list first asks its own literal-prefiltered gate (union-gate.ts): on a field
  // where another rule's expression matched, this rule's still mostly costs one index pass.
  const prefilter = plainRe ? unionGate(values, 'i') : undefined;
  return {
    field: name,
    gate: plainRe ? values.map((v) => `(?:${v})`).join('|') : undefined,
    test(view) {
      const text = view[name] ?? '';
      if (prefilter !== undefined && !prefilter(text)) {
        return null;
      }
      let first: FieldHit | null = null;
      for (const test of tests) {
        const span = test(text);
        if (span === null && all) {
          return null;
        }
        if (span !== null && first === null) {
          first = { field: name, matched: text.slice(span[0], span[1]) };
          if (!all) {
            return first;
          }
        }
      }
      return first;
    },
  };
}
