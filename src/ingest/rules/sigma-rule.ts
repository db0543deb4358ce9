import { isSignal, Signal, SIGNALS } from '../../domain/signal';
import { Condition, ConditionError, evaluateCondition, parseCondition, positiveNames } from './sigma-condition';
import { compileFieldMatcher, FieldHit, FieldMatcher, FieldView } from './sigma-matcher';
import { isWebField, KEYWORD_FIELDS } from './web-fields';

/**
 * A Sigma rule (https://sigmahq.io/docs/basics/rules.html) for web server events, compiled.
 * Read from a rule file: title, id, description, tags (with `attack.tNNNN` techniques),
 * level, logsource, detection; and our own keys beside them: `signal` (which signal a hit
 * raises), `cwe` and `tests` (the rule's own cases, see rule-cases.ts).
 */
export const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export interface RuleCase {
  /** The request: a URL, or the fields of one (url, method, status, userAgent, referer, headers). */
  request: unknown;
  /** Where in the file the case is (1-based line), for a failing test to point at. */
  line?: number;
}

export interface WebRule {
  id: string;
  title: string;
  description: string;
  signal: Signal;
  level: Level;
  techniques: string[];
  cwe: string[];
  /** The file it came from, for errors and for the README's list. */
  source: string;
  cases: { match: RuleCase[]; nomatch: RuleCase[] };
  /** Every field matcher of the rule, for a rule set's per-field gates (see web-detection.ts). */
  matchers: FieldMatcher[];
  /** The rule cannot fire when, in every list, some field's gate failed (see Selection). */
  needs?: string[][];
  /** The first positive hit when the rule fires, else null. */
  evaluate(view: FieldView): FieldHit | null;
}

/** A reason a rule cannot load, with the path of the YAML node it concerns. */
export class RuleError extends Error {
  constructor(
    readonly path: readonly (string | number)[],
    message: string,
  ) {
    super(message);
  }
}

/**
 * `needs`: when a selection can only match if, in each of its alternatives, some gated field's
 * gate matched: a list per alternative of those fields. Absent: no such shortcut.
 */
type Selection = ((view: FieldView) => FieldHit | null) & { needs?: string[][] };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(rule: Record<string, unknown>, key: string, required: boolean): string | undefined {
  const value = rule[key];
  if (value === undefined && !required) {
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new RuleError([key], `"${key}" must be a non-empty string`);
  }
  return value;
}

/** Collects the matchers of the rule being compiled (compileRule is synchronous). */
let compiling: FieldMatcher[] = [];

function fieldMap(map: Record<string, unknown>, path: (string | number)[]): Selection {
  const matchers: FieldMatcher[] = Object.entries(map).map(([key, value]) => {
    try {
      const matcher = compileFieldMatcher(key, value, isWebField);
      compiling.push(matcher);
      return matcher;
    } catch (error) {
      throw new RuleError([...path, key], (error as Error).message);
    }
  });
  if (matchers.length === 0) {
    throw new RuleError(path, 'a selection needs at least one field');
  }
  const gated = matchers.filter((matcher) => matcher.gate !== undefined).map((matcher) => matcher.field);
  const test: Selection = (view) => {
    let first: FieldHit | null = null;
    for (const matcher of matchers) {
      const hit = matcher.test(view);
      if (hit === null) {
        return null;
      }
      first ??= hit;
    }
    return first;
  };
  test.needs = gated.length > 0 ? [gated] : undefined;
  return test;
}

function keywords(list: unknown[], path: (string | number)[]): Selection {
  const matchers = list.map((value, index) => {
    try {
      return KEYWORD_FIELDS.map((field) => compileFieldMatcher(`${field}|contains`, value, isWebField));
    } catch (error) {
      throw new RuleError([...path, index], (error as Error).message);
    }
  });
  return (view) => {
    for (const perField of matchers) {
      for (const matcher of perField) {
        const hit = matcher.test(view);
        if (hit !== null) {
          return hit;
        }
      }
    }
    return null;
  };
}

function selection(value: unknown, path: (string | number)[]): Selection {
  if (isRecord(value)) {
    return fieldMap(value, path);
  }
  if (Array.isArray(value) && value.length > 0 && value.every(isRecord)) {
    const alternatives = value.map((map, index) => fieldMap(map, [...path, index]));
    const any: Selection = (view) => {
      for (const alternative of alternatives) {
        const hit = alternative(view);
        if (hit !== null) {
          return hit;
        }
      }
      return null;
    };
    any.needs = alternatives.every((a) => a.needs) ? alternatives.flatMap((a) => a.needs ?? []) : undefined;
    return any;
  }
  if (Array.isArray(value) && value.length > 0 && value.every((item) => !isRecord(item) && !Array.isArray(item))) {
    return keywords(value, path);
  }
  throw new RuleError(path, 'a selection is a map of fields, a list of such maps, or a list of keywords');
}

function detection(raw: unknown): { selections: Map<string, Selection>; condition: Condition; positive: string[] } {
  if (!isRecord(raw)) {
    throw new RuleError(['detection'], '"detection" must be a map of selections and a condition');
  }
  const selections = new Map<string, Selection>();
  for (const [name, value] of Object.entries(raw)) {
    if (name !== 'condition' && name !== 'timeframe') {
      selections.set(name, selection(value, ['detection', name]));
    }
  }
  if (raw.timeframe !== undefined) {
    throw new RuleError(['detection', 'timeframe'], 'timeframe is not supported; use a policy rule over signals');
  }
  const conditions = Array.isArray(raw.condition) ? raw.condition : [raw.condition];
  if (conditions.length === 0 || !conditions.every((c) => typeof c === 'string')) {
    throw new RuleError(['detection', 'condition'], '"condition" must be a string (or a list of strings)');
  }
  try {
    const names = [...selections.keys()];
    const parsed = conditions.map((c) => parseCondition(c, names));
    const condition: Condition = parsed.length === 1 ? parsed[0] : { kind: 'or', operands: parsed };
    return { selections, condition, positive: [...new Set(positiveNames(condition))] };
  } catch (error) {
    if (error instanceof ConditionError) {
      throw new RuleError(['detection', 'condition'], error.message);
    }
    throw error;
  }
}

function casesOf(raw: unknown): WebRule['cases'] {
  if (raw === undefined) {
    return { match: [], nomatch: [] };
  }
  if (!isRecord(raw) || Object.keys(raw).some((key) => key !== 'match' && key !== 'nomatch')) {
    throw new RuleError(['tests'], '"tests" must be a map with "match" and "nomatch" lists');
  }
  const list = (key: 'match' | 'nomatch'): RuleCase[] => {
    const value: unknown = raw[key] ?? [];
    if (!Array.isArray(value)) {
      throw new RuleError(['tests', key], `"tests.${key}" must be a list`);
    }
    return (value as unknown[]).map((request) => ({ request }));
  };
  return { match: list('match'), nomatch: list('nomatch') };
}

function logsource(raw: unknown): void {
  const category = isRecord(raw) ? raw.category : undefined;
  const product = isRecord(raw) ? raw.product : undefined;
  if (
    category !== 'webserver' &&
    !['nginx', 'apache', 'iis', 'haproxy', 'traefik', 'caddy', 'aws'].includes(String(product))
  ) {
    throw new RuleError(['logsource'], 'only web server rules are read here (logsource category: webserver)');
  }
}

/** Compiles one parsed rule document; throws RuleError with the path and reason. */
export function compileRule(raw: unknown, source: string): WebRule {
  if (!isRecord(raw)) {
    throw new RuleError([], 'a rule file holds one YAML map per document');
  }
  const id = text(raw, 'id', true) as string;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(id)) {
    throw new RuleError(['id'], 'id must be 1-100 letters, digits, ".", "_" or "-"');
  }
  logsource(raw.logsource);
  const signal = raw.signal ?? 'exploit_probe';
  if (typeof signal !== 'string' || !isSignal(signal)) {
    throw new RuleError(['signal'], `signal must be one of ${SIGNALS.join(', ')}`);
  }
  const level = raw.level ?? 'medium';
  if (!(LEVELS as readonly unknown[]).includes(level)) {
    throw new RuleError(['level'], `level must be one of ${LEVELS.join(', ')}`);
  }
  const tags = Array.isArray(raw.tags) ? raw.tags.map(String) : [];
  const cwe = raw.cwe === undefined ? [] : (Array.isArray(raw.cwe) ? raw.cwe : [raw.cwe]).map(String);
  compiling = [];
  const { selections, condition, positive } = detection(raw.detection);
  const matchers = compiling;
  return {
    id,
    title: text(raw, 'title', true) as string,
    description: text(raw, 'description', false) ?? '',
    signal,
    level: level as Level,
    techniques: tags
      .filter((tag) => /^attack\.t\d{4}(?:\.\d{3})?$/i.test(tag))
      .map((tag) => tag.slice(7).toUpperCase()),
    cwe,
    source,
    cases: casesOf(raw.tests),
    matchers,
    needs: conditionNeeds(condition, selections),
    evaluate: evaluator(selections, condition, positive),
  };
}

/**
 * When the condition can only hold if, in one of the lists, some field's gate matched (see
 * Selection.needs): an `or` needs one of its operands' lists, an `and` any one positive
 * operand's; a `not` says nothing.
 */
function conditionNeeds(condition: Condition, selections: Map<string, Selection>): string[][] | undefined {
  const all = (operands: (string[][] | undefined)[]): string[][] | undefined =>
    operands.every((needs) => needs !== undefined) ? operands.flatMap((needs) => needs ?? []) : undefined;
  switch (condition.kind) {
    case 'ref':
      return selections.get(condition.name)?.needs;
    case 'not':
      return undefined;
    case 'or':
      return all(condition.operands.map((operand) => conditionNeeds(operand, selections)));
    case 'and':
      return condition.operands.map((operand) => conditionNeeds(operand, selections)).find((needs) => needs);
    case 'quantified': {
      const each = condition.names.map((name) => selections.get(name)?.needs);
      return condition.quantifier === 'one' ? all(each) : each.find((needs) => needs);
    }
  }
}

/** The rule's test; a rule whose condition is one selection (most) skips the bookkeeping. */
function evaluator(
  selections: Map<string, Selection>,
  condition: Condition,
  positive: string[],
): (view: FieldView) => FieldHit | null {
  if (condition.kind === 'ref') {
    return selections.get(condition.name) as Selection;
  }
  const names = [...selections.keys()];
  const tests = names.map((name) => selections.get(name) as Selection);
  const slot = new Map(names.map((name, index) => [name, index]));
  const positiveSlots = positive.map((name) => slot.get(name) as number);
  return (view) => {
    // undefined: not evaluated yet; null: evaluated, no hit.
    const seen: (FieldHit | null | undefined)[] = new Array<undefined>(tests.length);
    const holds = (name: string): boolean => {
      const at = slot.get(name) as number;
      let hit = seen[at];
      if (hit === undefined) {
        hit = tests[at](view);
        seen[at] = hit;
      }
      return hit !== null;
    };
    if (!evaluateCondition(condition, holds)) {
      return null;
    }
    for (const at of positiveSlots) {
      const hit = seen[at];
      if (hit) {
        return hit;
      }
    }
    return { field: 'request', matched: '' };
  };
}
