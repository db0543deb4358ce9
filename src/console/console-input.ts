import { DecisionAction, DecisionOrigin } from '../domain/decision';
import { DecisionFilter, DECISION_VIEWS, DecisionView } from './console.service';

const ORIGINS: readonly DecisionOrigin[] = ['policy', 'manual', 'llm'];
const ACTIONS: readonly DecisionAction[] = ['block', 'alert', 'monitor', 'allow'];

type Query = Record<string, unknown>;

/** A short text parameter, trimmed, or undefined when absent, empty or not a string. */
export function textParam(query: Query, name: string, max = 64): string | undefined {
  const value = query[name];
  if (typeof value !== 'string') {
    return undefined;
  }
  const trimmed = value.trim().slice(0, max);
  return trimmed === '' ? undefined : trimmed;
}

export function pageParam(query: Query): number {
  const value = Number(textParam(query, 'page', 6) ?? '1');
  return Number.isInteger(value) && value >= 1 ? value : 1;
}

function oneOf<T extends string>(options: readonly T[], value: string | undefined): T | undefined {
  return options.find((option) => option === value);
}

/** The decisions page's filter from its query string; unknown values are ignored, not guessed. */
export function decisionFilter(query: Query): DecisionFilter {
  return {
    view: oneOf<DecisionView>(DECISION_VIEWS, textParam(query, 'view')) ?? 'in-force',
    value: textParam(query, 'value'),
    ruleId: textParam(query, 'rule'),
    origin: oneOf(ORIGINS, textParam(query, 'origin')),
    action: oneOf(ACTIONS, textParam(query, 'action')),
    page: pageParam(query),
  };
}
