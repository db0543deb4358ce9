import type { DetectableEvent } from '../event';
import { matchedText } from '../signals/decode';
import type { Signal, SignalMatch } from '../signals/signal';
import { loadRuleDirs, repositoryRulesDir } from './rule-loader';
import type { WebRule } from './sigma-rule';
import { webFieldsOf } from './web-fields';

/**
 * The web rules in force: the repository's rules/web, plus RULES_DIR when set. Loaded once at
 * start-up by useWebRules (a bad rule stops the start); a process that never called it (a test,
 * the replay CLI) loads the repository's rules on first use.
 */
let active: readonly WebRule[] | undefined;

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
  active = rules;
}

export function webRules(): readonly WebRule[] {
  return (active ??= loadWebRules());
}

/**
 * The web rules' hits for one event: one per signal (the most severe rule that fired, then the
 * first by id), so an event costs no more once a signal is known.
 */
export function webRuleMatches(event: DetectableEvent, rules: readonly WebRule[] = webRules()): SignalMatch[] {
  const view = webFieldsOf(event);
  if (view === null) {
    return [];
  }
  const found = new Set<Signal>();
  const out: SignalMatch[] = [];
  for (const rule of rules) {
    if (found.has(rule.signal)) {
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
