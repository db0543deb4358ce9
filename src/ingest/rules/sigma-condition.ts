/**
 * Sigma's `condition` expression: selection names joined by `and`, `or`, `not` and parentheses,
 * and the quantified forms `1 of <pattern>`, `all of <pattern>`, `1 of them`, `all of them`
 * (a pattern may end in `*`). Aggregations (`| count() by …`) are refused: behaviour over time
 * is the policy's job (signal counts over windows of event time).
 *
 * Precedence as in the Sigma specification: `not` binds tightest, then `and`, then `or`.
 */
export type Condition =
  | { kind: 'ref'; name: string }
  | { kind: 'not'; operand: Condition }
  | { kind: 'and' | 'or'; operands: Condition[] }
  | { kind: 'quantified'; quantifier: 'one' | 'all'; names: string[] };

export class ConditionError extends Error {}

const TOKEN = /\s*(\(|\)|[A-Za-z0-9_*.-]+|\|)/y;

function tokenise(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (match === null) {
      if (text.slice(start).trim() === '') {
        break;
      }
      throw new ConditionError(`unexpected character at "${text.slice(start, start + 20).trim()}"`);
    }
    tokens.push(match[1]);
  }
  return tokens;
}

function expand(pattern: string, selections: readonly string[]): string[] {
  if (pattern === 'them') {
    return selections.filter((name) => !name.startsWith('_'));
  }
  const names = pattern.endsWith('*')
    ? selections.filter((name) => name.startsWith(pattern.slice(0, -1)))
    : selections.filter((name) => name === pattern);
  if (names.length === 0) {
    throw new ConditionError(`"${pattern}" names no selection (known: ${selections.join(', ')})`);
  }
  return names;
}

/** Parses a condition against the rule's selection names; throws ConditionError with the reason. */
export function parseCondition(text: string, selections: readonly string[]): Condition {
  if (text.includes('|')) {
    throw new ConditionError('aggregations ("| count() …") are not supported; use a policy rule over signals');
  }
  const tokens = tokenise(text);
  let at = 0;
  const peek = (): string | undefined => tokens[at]?.toLowerCase();
  const next = (): string => {
    const token = tokens[at];
    if (token === undefined) {
      throw new ConditionError('the condition ends too early');
    }
    at += 1;
    return token;
  };

  const primary = (): Condition => {
    const token = next();
    const lower = token.toLowerCase();
    if (token === '(') {
      const inner = disjunction();
      if (next() !== ')') {
        throw new ConditionError('missing ")"');
      }
      return inner;
    }
    if (lower === 'not') {
      return { kind: 'not', operand: primary() };
    }
    if ((lower === '1' || lower === 'all' || lower === 'any') && peek() === 'of') {
      next();
      return { kind: 'quantified', quantifier: lower === 'all' ? 'all' : 'one', names: expand(next(), selections) };
    }
    if (['and', 'or', ')', 'of'].includes(lower)) {
      throw new ConditionError(`unexpected "${token}"`);
    }
    return { kind: 'ref', name: expand(token, selections)[0] };
  };
  const conjunction = (): Condition => {
    const operands = [primary()];
    while (peek() === 'and') {
      next();
      operands.push(primary());
    }
    return operands.length === 1 ? operands[0] : { kind: 'and', operands };
  };
  const disjunction = (): Condition => {
    const operands = [conjunction()];
    while (peek() === 'or') {
      next();
      operands.push(conjunction());
    }
    return operands.length === 1 ? operands[0] : { kind: 'or', operands };
  };

  const condition = disjunction();
  if (at < tokens.length) {
    throw new ConditionError(`unexpected "${tokens[at]}"`);
  }
  return condition;
}

/** Evaluates a condition; `holds` says whether one selection matched (the caller caches it). */
export function evaluateCondition(condition: Condition, holds: (name: string) => boolean): boolean {
  switch (condition.kind) {
    case 'ref':
      return holds(condition.name);
    case 'not':
      return !evaluateCondition(condition.operand, holds);
    case 'and':
      return condition.operands.every((operand) => evaluateCondition(operand, holds));
    case 'or':
      return condition.operands.some((operand) => evaluateCondition(operand, holds));
    case 'quantified':
      return condition.quantifier === 'all' ? condition.names.every(holds) : condition.names.some(holds);
  }
}

/** The selections a condition reads outside any `not`: the ones whose match explains a hit. */
export function positiveNames(condition: Condition, negated = false): string[] {
  switch (condition.kind) {
    case 'ref':
      return negated ? [] : [condition.name];
    case 'not':
      return positiveNames(condition.operand, !negated);
    case 'and':
    case 'or':
      return condition.operands.flatMap((operand) => positiveNames(operand, negated));
    case 'quantified':
      return negated ? [] : condition.names;
  }
}
