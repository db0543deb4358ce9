import type { DetectableEvent } from '../../domain/event';
import { matchedText, rememberedTest } from '../signals/decode';
import { SIGNALS, type SignalMatch } from '../../domain/signal';
import { loadRuleDirs, repositoryRulesDir } from './rule-loader';
import type { WebRule } from './sigma-rule';
import { unionGate } from './union-gate';
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
  gates: [field: string, gate: (text: string) => boolean][];
  /** Per rule, its `needs` as gate indices (see WebRule.needs), or null. */
  needs: (number[][] | null)[];
  /** Per rule, the index of its signal in SIGNALS. */
  signals: number[];
  /** Scratch: per gate, 1 when it failed for the event being read; per signal, 1 once found. */
  failed: Uint8Array;
  found: Uint8Array;
}

/** Fields whose values repeat from request to request, worth remembering a gate's answer for. */
const REPEATING = new Set(['c-useragent', 'cs-referer', 'cs-host', 'cs-method', 'sc-status', 'cs-username']);

function ruleSet(rules: readonly WebRule[]): RuleSet {
  const sources = new Map<string, string[]>();
  for (const matcher of rules.flatMap((rule) => rule.matchers)) {
    if (matcher.gate !== undefined) {
      sources.set(matcher.field, [...(sources.get(matcher.field) ?? []), matcher.gate]);
    }
  }
  const fields = [...sources.keys()];
  return {
    rules,
    gates: [...sources].map(([field, list]) => {
      const test = unionGate(list, 'i');
      return [field, REPEATING.has(field) ? rememberedTest(test) : test];
    }),
    needs: rules.map((rule) => rule.needs?.map((list) => list.map((field) => fields.indexOf(field))) ?? null),
    signals: rules.map((rule) => SIGNALS.indexOf(rule.signal)),
    failed: new Uint8Array(fields.length),
    found: new Uint8Array(SIGNALS.length),
  };
}

/** Whether, in every list, some gate failed: the rule cannot fire. */
function impossible(needs: number[][] | null, failed: Uint8Array): boolean {
  if (needs === null) {
    return false;
  }
  for (const list of needs) {
    let blocked = false;
    for (let k = 0; k < list.length && !blocked; k += 1) {
      blocked = list[k] >= 0 && failed[list[k]] === 1;
    }
    if (!blocked) {
      return false;
    }
  }
  return true;
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
  // Scratch arrays of the rule set (detection is synchronous): allocating them per event costs
  // more than clearing them.
  const { failed, found } = set;
  found.fill(0);
  for (let index = 0; index < set.gates.length; index += 1) {
    const [field, gate] = set.gates[index];
    failed[index] = gate(view[field] ?? '') ? 0 : 1;
  }
  const out: SignalMatch[] = [];
  for (let index = 0; index < set.rules.length; index += 1) {
    const rule = set.rules[index];
    if (found[set.signals[index]] === 1 || impossible(set.needs[index], failed)) {
      continue;
    }
    const hit = rule.evaluate(view);
    if (hit !== null) {
      found[set.signals[index]] = 1;
      out.push({ signal: rule.signal, ruleId: rule.id, field: hit.field, matched: matchedText(hit.matched) });
    }
  }
  return out;
}
