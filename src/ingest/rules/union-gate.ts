import { flatAlternatives, SPECIAL, sourceFacts } from './regex-source';

/**
 * A fast test of "can any of these expressions match?", the gate in front of a rule set's field
 * (web-detection.ts) and of the built-in payload patterns (detectors.ts). One union of ~100
 * alternatives costs microseconds per field; most requests need none of it. So the union's
 * alternatives are split by what every match of them contains (regex-source.ts):
 *
 * - a literal ("union", "/etc/", "<script"): found for all of them at once by one pass of an
 *   Aho-Corasick automaton over the text; only the alternatives whose literal is in the text run;
 * - no literal but a special character: they run only when the text has one (hasSpecial);
 * - neither: they always run (a small remainder).
 *
 * The answer is the same as the whole union's; only the work differs. No alternative may hold a
 * back-reference (the rule loader refuses them; the built-in gate leaves such patterns out).
 */
const SPECIAL_TEXT = new RegExp(`[${[...SPECIAL].map((c) => `\\${c}`).join('')}]`);

export const hasSpecial = (text: string): boolean => SPECIAL_TEXT.test(text);

/**
 * An Aho-Corasick automaton over literals: which of them occur in a text, in one pass. ASCII
 * steps go through a dense table (one array read per character); other characters follow the
 * trie and its failure links.
 */
class LiteralIndex {
  private readonly next: Map<number, number>[] = [new Map<number, number>()];
  private readonly fail: number[] = [0];
  private readonly found: number[][] = [[]];
  private readonly ascii: Int32Array | Uint16Array;

  constructor(literals: readonly string[]) {
    literals.forEach((literal, id) => {
      let state = 0;
      for (let i = 0; i < literal.length; i += 1) {
        const code = literal.charCodeAt(i);
        let to = this.next[state].get(code);
        if (to === undefined) {
          to = this.next.length;
          this.next.push(new Map<number, number>());
          this.fail.push(0);
          this.found.push([]);
          this.next[state].set(code, to);
        }
        state = to;
      }
      this.found[state].push(id);
    });
    const order = this.link();
    const size = this.next.length * 128;
    this.ascii = this.next.length <= 0xffff ? new Uint16Array(size) : new Int32Array(size);
    for (const state of [0, ...order]) {
      for (let code = 0; code < 128; code += 1) {
        const to = this.next[state].get(code);
        this.ascii[state * 128 + code] = to ?? (state === 0 ? 0 : this.ascii[this.fail[state] * 128 + code]);
      }
    }
  }

  /** Sets the failure links breadth first; returns the states in that order (root left out). */
  private link(): number[] {
    const queue = [...this.next[0].values()];
    for (let head = 0; head < queue.length; head += 1) {
      const state = queue[head];
      for (const [code, to] of this.next[state]) {
        let back = this.fail[state];
        while (back !== 0 && !this.next[back].has(code)) {
          back = this.fail[back];
        }
        const target = this.next[back].get(code);
        this.fail[to] = target !== undefined && target !== to ? target : 0;
        this.found[to] = [...this.found[to], ...this.found[this.fail[to]]];
        queue.push(to);
      }
    }
    return queue;
  }

  private step(state: number, code: number): number {
    if (code < 128) {
      return this.ascii[state * 128 + code];
    }
    let at = state;
    let to = this.next[at].get(code);
    while (to === undefined && at !== 0) {
      at = this.fail[at];
      to = this.next[at].get(code);
    }
    return to ?? 0;
  }

  /**
   * Calls `visit` with the ids of the literals found at each position (ids may repeat) until it
   * answers true; returns whether it did.
   */
  scan(text: string, visit: (ids: readonly number[]) => boolean): boolean {
    let state = 0;
    for (let i = 0; i < text.length; i += 1) {
      state = this.step(state, text.charCodeAt(i));
      const found = this.found[state];
      if (found.length > 0 && visit(found)) {
        return true;
      }
    }
    return false;
  }
}

const union = (sources: readonly string[], flags: string): RegExp | null =>
  sources.length === 0 ? null : new RegExp(sources.map((source) => `(?:${source})`).join('|'), flags);

/** The gate for a union of `sources` compiled with `flags` (only `i` changes how it is read). */
export function unionGate(sources: readonly string[], flags = ''): (text: string) => boolean {
  const caseless = flags.includes('i');
  const literals: string[] = [];
  const owners: number[][] = [];
  const indexed: RegExp[] = [];
  const needsSpecial: boolean[] = [];
  const needSpecial: string[] = [];
  const always: string[] = [];
  for (const alternative of sources.flatMap(flatAlternatives)) {
    const facts = sourceFacts(alternative, caseless);
    if (facts.literals !== null) {
      const id = indexed.push(new RegExp(alternative, flags)) - 1;
      needsSpecial.push(facts.special);
      for (const literal of new Set(facts.literals)) {
        const at = literals.indexOf(literal);
        if (at < 0) {
          owners.push([id]);
          literals.push(literal);
        } else {
          owners[at].push(id);
        }
      }
    } else {
      (facts.special ? needSpecial : always).push(alternative);
    }
  }
  const index = new LiteralIndex(literals);
  const special = union(needSpecial, flags);
  const rest = union(always, flags);
  const tried = new Uint32Array(indexed.length);
  let round = 0;
  let text = '';
  let anySpecial = false;
  // One closure for the gate's life, reading the call's text through the variables above.
  const visit = (literals: readonly number[]): boolean => {
    for (const literal of literals) {
      for (const id of owners[literal]) {
        if (tried[id] !== round) {
          tried[id] = round;
          if ((anySpecial || !needsSpecial[id]) && indexed[id].test(text)) {
            return true;
          }
        }
      }
    }
    return false;
  };
  const test = (input: string): boolean => {
    anySpecial = hasSpecial(input);
    if ((rest !== null && rest.test(input)) || (special !== null && anySpecial && special.test(input))) {
      return true;
    }
    if (round === 0xffffffff) {
      tried.fill(0);
      round = 0;
    }
    round += 1;
    text = input;
    return index.scan(caseless ? input.toLowerCase() : input, visit);
  };
  // Absent fields are read as '' on every request: their answer is known.
  const onEmpty = test('');
  return (text) => (text === '' ? onEmpty : test(text));
}
