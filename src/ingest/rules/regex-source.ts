/**
 * Reading a regular expression's source for what every match of it must contain, so that a
 * union of many expressions can be skipped on text that cannot match (see union-gate.ts). Every
 * answer is conservative: when the reading is unsure it says "nothing required", never more.
 *
 * Two facts are read per top-level alternative: the literals one of which every match contains
 * (`\bunion\s+select` must contain "union"), and whether every match contains one of the
 * characters an injection needs (SPECIAL: quotes, brackets, `<`, `;`, `|`, `$`…).
 */
export const SPECIAL = new Set(`'"<>()[]{};|$\`\\%!*@#^~+\r\n`);

const LITERAL_ESCAPES = new Set('.\\/-?*+()[]{}|$^:=!#@%\'"<>&,;~`_ ');
const ZERO_WIDTH_ESCAPES = new Set('bB');
const CONTROL_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t' };

/** Index just past the group or class that opens at `at` (source[at] is `(` or `[`). */
function closing(source: string, at: number): number {
  const inClass = source[at] === '[';
  let depth = 0;
  for (let i = at; i < source.length; i += 1) {
    const char = source[i];
    if (char === '\\') {
      i += 1;
    } else if (inClass) {
      if (char === ']' && i > at + 1) {
        return i + 1;
      }
    } else if (char === '[') {
      i = closing(source, i) - 1;
    } else if (char === '(') {
      depth += 1;
    } else if (char === ')') {
      depth -= 1;
      if (depth === 0) {
        return i + 1;
      }
    }
  }
  return source.length;
}

/** The top-level alternatives of a source (split on `|` outside groups and classes). */
function alternatives(source: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (char === '\\') {
      i += 1;
    } else if (char === '(' || char === '[') {
      i = closing(source, i) - 1;
    } else if (char === '|') {
      out.push(source.slice(start, i));
      start = i + 1;
    }
  }
  out.push(source.slice(start));
  return out;
}

/** The alternatives of a union, with a whole-alternative `(?:…)` group opened up, recursively. */
export function flatAlternatives(source: string): string[] {
  return alternatives(source).flatMap((alternative) =>
    alternative.startsWith('(?:') && closing(alternative, 0) === alternative.length
      ? flatAlternatives(alternative.slice(3, -1))
      : [alternative],
  );
}

/** The quantifier at `at`: none, optional (may repeat zero times) or repeating (at least once). */
function quantifierAt(source: string, at: number): { kind: 'none' | 'optional' | 'repeat'; min: number; end: number } {
  const char = source[at];
  let end = at;
  let min = 1;
  let kind: 'none' | 'optional' | 'repeat' = 'none';
  if (char === '?' || char === '*' || char === '+') {
    kind = char === '+' ? 'repeat' : 'optional';
    end = at + 1;
  } else if (char === '{') {
    const bound = /^\{(\d+)(,\d*)?\}/.exec(source.slice(at, at + 16));
    if (bound !== null) {
      min = Math.min(Number(bound[1]), 8);
      kind = min === 0 ? 'optional' : bound[2] === undefined && min === 1 ? 'none' : 'repeat';
      end = at + bound[0].length;
    }
  }
  if (end > at && source[end] === '?') {
    end += 1;
  }
  return { kind, min, end };
}

interface Atom {
  /** The character it matches when it is one literal character. */
  literal?: string;
  /** The literal sets of a group (one of them appears in every match of the group). */
  literals?: string[] | null;
  special: boolean;
  zeroWidth: boolean;
  end: number;
}

function atomAt(source: string, at: number, read: (source: string) => Facts): Atom {
  const char = source[at];
  if (char === '\\') {
    const next = source[at + 1] ?? '';
    if (ZERO_WIDTH_ESCAPES.has(next)) {
      return { special: false, zeroWidth: true, end: at + 2 };
    }
    const literal = LITERAL_ESCAPES.has(next) ? next : CONTROL_ESCAPES[next];
    return { literal, special: literal !== undefined && SPECIAL.has(literal), zeroWidth: false, end: at + 2 };
  }
  if (char === '(') {
    const end = closing(source, at);
    const inner = source.slice(at + 1, end - 1);
    if (/^\?(?:[=!]|<[=!])/.test(inner)) {
      return { special: false, zeroWidth: true, end };
    }
    const facts = read(inner.replace(/^\?(?::|<[A-Za-z]\w*>)/, ''));
    return { literals: facts.literals, special: facts.special, zeroWidth: false, end };
  }
  if (char === '[') {
    const end = closing(source, at);
    const body = source.slice(at + 1, end - 1);
    return { special: specialClass(body), zeroWidth: false, end };
  }
  if (char === '^' || char === '$') {
    return { special: false, zeroWidth: true, end: at + 1 };
  }
  const literal = char === '.' || char === '{' || char === '}' ? undefined : char;
  return { literal, special: literal !== undefined && SPECIAL.has(literal), zeroWidth: false, end: at + 1 };
}

/** Whether a class body (between `[` and `]`) only holds special characters. */
function specialClass(body: string): boolean {
  if (body.startsWith('^') || body.length === 0) {
    return false;
  }
  for (let i = 0; i < body.length; i += 1) {
    let char = body[i];
    if (char === '\\') {
      i += 1;
      char = CONTROL_ESCAPES[body[i]] ?? body[i];
    } else if (char === '-' && i > 0 && i < body.length - 1) {
      return false;
    }
    if (!SPECIAL.has(char)) {
      return false;
    }
  }
  return true;
}

export interface Facts {
  /** Literals one of which every match contains (lower-cased when `caseless`), or null. */
  literals: string[] | null;
  /** Every match contains a SPECIAL character. */
  special: boolean;
}

/** A literal worth indexing: one character would be found in almost every text. */
const selective = (literal: string): boolean => literal.length >= 2;

/** Picks the candidate set whose shortest literal is longest. */
function better(a: string[] | null, b: string[] | null): string[] | null {
  if (a === null || b === null) {
    return a ?? b;
  }
  const shortest = (set: string[]): number => Math.min(...set.map((literal) => literal.length));
  return shortest(b) > shortest(a) ? b : a;
}

function alternativeFacts(source: string, caseless: boolean): Facts {
  let best: string[] | null = null;
  let special = false;
  let run = '';
  const endRun = (): void => {
    if (selective(run)) {
      best = better(best, [caseless ? run.toLowerCase() : run]);
    }
    run = '';
  };
  for (let at = 0; at < source.length;) {
    const atom = atomAt(source, at, (inner) => sourceFacts(inner, caseless));
    const quantifier = quantifierAt(source, atom.end);
    at = quantifier.end;
    if (atom.zeroWidth) {
      continue;
    }
    const mandatory = quantifier.kind !== 'optional';
    special ||= mandatory && atom.special;
    if (mandatory && atom.literals) {
      best = better(best, atom.literals);
    }
    if (mandatory && atom.literal !== undefined) {
      run += quantifier.kind === 'repeat' ? atom.literal.repeat(quantifier.min) : atom.literal;
      if (quantifier.kind === 'repeat') {
        endRun();
      }
    } else {
      endRun();
    }
  }
  endRun();
  return { literals: best, special };
}

/** What every match of the source contains (see Facts); `caseless` for an `i` expression. */
export function sourceFacts(source: string, caseless = false): Facts {
  const facts = alternatives(source).map((alternative) => alternativeFacts(alternative, caseless));
  const literals = facts.every((f) => f.literals !== null) ? facts.flatMap((f) => f.literals ?? []) : null;
  return { literals, special: facts.every((f) => f.special) };
}
