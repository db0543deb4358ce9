import type { DetectableEvent } from '../../domain/event';
import { matchedText, rememberedTest } from '../signals/decode';
import type { Signal, SignalMatch } from '../../domain/signal';
import { loadRuleDirs, repositoryRulesDir } from './rule-loader';
import { gateKey } from './sigma-matcher';
import type { WebRule } from './sigma-rule';
import { webFieldsOf } from './web-fields';

/**
 * The web rules in force: the repository's rules/web, plus RULES_DIR when set. Loaded once at
 * start-up by useWebRules (a bad rule stops the start); a process that never called it (a test,
 * the replay CLI) loads the repository's rules on first use.
 */
let active: RuleSet | undefined;

/**
 * Rules plus, per field, one expression that is the union of every plain `re` list on that
 * field: a benign request pays one scan per field instead of one per expression, and only a
 * field whose union matches runs the rules' own expressions (each is still checked alone).
 */
interface RuleSet {
  rules: readonly WebRule[];
  gates: [field: string, gate: (text: string) => boolean, key: string][];
}

/** Fields whose values repeat from request to request, worth remembering a gate's answer for. */
const REPEATING = new Set([
  'c-useragent',
  'cs-referer',
  'cs-host',
  'cs-method',
  'sc-status',
  'cs-uri-stem',
  'cs-username',
]);

function ruleSet(rules: readonly WebRule[]): RuleSet {
  const sources = new Map<string, string[]>();
  for (const matcher of rules.flatMap((rule) => rule.matchers)) {
    if (matcher.gate !== undefined) {
      sources.set(matcher.field, [...(sources.get(matcher.field) ?? []), matcher.gate]);
    }
  }
  return {
    rules,
    gates: [...sources].map(([field, list]) => {
      const union = new RegExp(list.join('|'), 'i');
      const test = (text: string): boolean => union.test(text);
      return [field, REPEATING.has(field) ? rememberedTest(test) : test, gateKey(field)];
    }),
  };
}

const LEVEL_ORDER: Readonly<Record<WebRule['level'], number>> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  informational: 4,
};

/** Loads the repository's rules and `extraDir`'s; throws RuleLoadError (file, line, reason). */
export function loadWebRules(extraDir?: string): WebRule[] {
  const dirs = [repositoryRulesDir(), ...(extraDir ? [extraDir] : [])];
  return loadRuleDirs(dirs).sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.id.localeCompare(b.id));
}

export function useWebRules(rules: readonly WebRule[]): void {
  active = ruleSet(rules);
}

export function webRules(): readonly WebRule[] {
  return (active ??= ruleSet(loadWebRules())).rules;
}

/**
 * The web rules' hits for one event: one per signal (the most severe rule that fired, then the
 * first by id), so an event costs no more once a signal is known.
 */
export function webRuleMatches(
  event: DetectableEvent,
  rules?: readonly WebRule[],
  decoded?: Record<string, string | undefined> | null,
): SignalMatch[] {
  const set = rules === undefined ? (active ??= ruleSet(loadWebRules())) : ruleSet(rules);
  const view = decoded === undefined ? webFieldsOf(event) : decoded;
  if (view === null) {
    return [];
  }
  const failed = new Set<string>();
  for (const [field, gate, key] of set.gates) {
    if (!gate(view[field] ?? '')) {
      view[key] = '';
      failed.add(field);
    }
  }
  const found = new Set<Signal>();
  const out: SignalMatch[] = [];
  for (const rule of set.rules) {
    if (found.has(rule.signal) || rule.needs?.every((fields) => fields.some((field) => failed.has(field)))) {
      continue;
    }
    const hit = rule.evaluate(view);
    if (hit !== null) {
      found.add(rule.signal);
      out.push({ signal: rule.signal, ruleId: rule.id, field: hit.field, matched: matchedText(hit.matched) });
    }
  }
  return out;
}
