import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { parseCidr } from '../domain/ip';
import { SIGNALS } from '../domain/signal';
import { PATH_MARKED_SIGNALS, TIMELINE_CAP } from '../domain/actor';
import {
  AggregateSettings,
  BlockDurations,
  LlmBounds,
  Policy,
  PolicyRule,
  RangeEscalation,
  ReviewTriggers,
  RuleCondition,
} from './policy';
import { ACTIONS } from '../domain/decision';
import {
  boolean,
  convert,
  decimal,
  field,
  Fields,
  formatPath,
  integer,
  Issue,
  list,
  nullable,
  object,
  oneOf,
  optional,
  PathPart,
  refine,
  seconds,
  text,
} from './policy-schema';

/** The longest window a rule may look back over (30 days), as the context builder reports. */
export const MAX_WINDOW_SECONDS = 30 * 86_400;
const MAX_DURATION_SECONDS = 365 * 86_400;
const RULE_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** A policy file that cannot be used: every problem, each with the field's path and a reason. */
export class PolicyFileError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`${source} is not a valid policy:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
    this.name = PolicyFileError.name;
  }
}

const ruleId = text({
  max: 64,
  pattern: RULE_ID,
  patternReason: "must be 1-64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit",
});
const reason = text({ min: 10, max: 500 });
const score = integer(0, 100);
const window = seconds(1, MAX_WINDOW_SECONDS);
const duration = seconds(1, MAX_DURATION_SECONDS);

const condition = refine(
  object<RuleCondition>({
    signals: optional(list(oneOf(SIGNALS), { min: 1, max: SIGNALS.length, unique: true })),
    atLeast: optional(integer(1, TIMELINE_CAP)),
    withinSeconds: optional(window),
    distinct: optional(oneOf(['paths'] as const)),
    scoreAtLeast: optional(score),
    scoreAtMost: optional(score),
  }),
  (when) => {
    const parts = [when.signals, when.atLeast, when.withinSeconds].filter((part) => part !== undefined).length;
    if (parts !== 0 && parts !== 3) {
      return 'signals, atLeast and withinSeconds go together: give all three or none';
    }
    if (when.distinct !== undefined && (when.signals ?? []).some((signal) => !PATH_MARKED_SIGNALS.has(signal))) {
      return `distinct: paths counts only ${[...PATH_MARKED_SIGNALS].join(', ')} (the signals whose paths are kept)`;
    }
    if (parts === 0 && when.scoreAtLeast === undefined && when.scoreAtMost === undefined) {
      return 'needs a signal count (signals, atLeast, withinSeconds) or a score band (scoreAtLeast, scoreAtMost)';
    }
    if ((when.scoreAtLeast ?? 0) > (when.scoreAtMost ?? 100)) {
      return 'scoreAtLeast must not be above scoreAtMost';
    }
    return null;
  },
);

const rule = object<PolicyRule>({
  id: field(ruleId),
  reason: field(reason),
  action: field(oneOf(ACTIONS)),
  when: field(condition),
  hardEvidence: field(boolean, false),
  simulate: field(boolean, false),
});

const blockDurations = refine(
  object<BlockDurations>({
    baseSeconds: field(duration),
    factor: field(decimal(1, 100)),
    maxSeconds: field(duration),
  }),
  (block) => (block.baseSeconds > block.maxSeconds ? 'baseSeconds must not be above maxSeconds' : null),
);

const cidr = convert(text({ max: 100 }), (value) => parseCidr(value).cidr);

const aggregate = object<AggregateSettings>({
  ipv6Prefix: field(nullable(integer(1, 128))),
  ipv4Prefix: field(nullable(integer(1, 32))),
});

const rangeEscalation = object<RangeEscalation>({
  id: field(ruleId),
  reason: field(reason),
  atLeast: field(integer(2, 1000)),
  withinSeconds: field(window),
  ipv4Prefix: field(integer(1, 31)),
  ipv6Prefix: field(integer(1, 127)),
  durationSeconds: field(duration),
  simulate: field(boolean, false),
});

const llm = object<LlmBounds>({
  maxAction: field(oneOf(ACTIONS)),
  mayShortenSoftBlocks: field(boolean),
  approval: field(oneOf(['auto', 'pending'] as const)),
});

const review = object<ReviewTriggers>({
  actions: field(list(oneOf(ACTIONS), { max: ACTIONS.length, unique: true })),
  scoreBand: field(
    convert(
      refine(list(score, { min: 2, max: 2 }), ([min, max]) =>
        min > max ? 'must be [min, max] with min not above max' : null,
      ),
      ([min, max]): [number, number] => [min, max],
    ),
  ),
});

const POLICY_FIELDS: Fields<Policy> = {
  version: field(text({ max: 64 })),
  simulate: field(boolean, false),
  rules: field(list(rule, { min: 1, max: 200 })),
  block: field(blockDurations),
  alertSeconds: field(duration),
  monitorSeconds: field(duration),
  allowlist: field(list(cidr, { max: 10_000, unique: true }), []),
  aggregate: field(aggregate),
  rangeEscalation: field(nullable(rangeEscalation)),
  llm: field(llm),
  review: field(review),
};

const policyReader = object<Policy>(POLICY_FIELDS);

function crossChecks(policy: Policy): Issue[] {
  const issues: Issue[] = [];
  const seen = new Map<string, number>();
  policy.rules.forEach((entry, index) => {
    const first = seen.get(entry.id);
    if (first !== undefined) {
      issues.push({ path: ['rules', index, 'id'], reason: `"${entry.id}" is already the id of rules[${first}]` });
    }
    seen.set(entry.id, index);
  });
  if (policy.rangeEscalation !== null && seen.has(policy.rangeEscalation.id)) {
    issues.push({ path: ['rangeEscalation', 'id'], reason: `"${policy.rangeEscalation.id}" is already a rule id` });
  }
  return issues;
}

/** Validates a policy given as plain data (parsed YAML or JSON). Problems come back as issues. */
export function readPolicy(raw: unknown): { policy?: Policy; issues: Issue[] } {
  const issues: Issue[] = [];
  const policy = policyReader(raw, [], issues);
  if (policy === undefined) {
    return { issues };
  }
  const cross = crossChecks(policy);
  return cross.length > 0 ? { issues: cross } : { policy, issues: [] };
}

function lineOf(root: unknown, path: PathPart[], lines: LineCounter): number | undefined {
  let node = root as Node | null | undefined;
  for (const part of path) {
    if (isMap(node) || isSeq(node)) {
      node = node.get(part, true);
    } else {
      break;
    }
  }
  const offset =
    node !== undefined && node !== null && (isScalar(node) || isMap(node) || isSeq(node)) ? node.range?.[0] : undefined;
  return offset === undefined ? undefined : lines.linePos(offset).line;
}

function describeIssue(issue: Issue, line?: number): string {
  const where = issue.path.length === 0 ? '(top level)' : formatPath(issue.path);
  return `${where}${line === undefined ? '' : ` (line ${line})`}: ${issue.reason}`;
}

/** Parses YAML or JSON text into plain data; syntax errors throw a PolicyFileError. */
export function parsePolicyData(
  content: string,
  source: string,
): { data: unknown; lineOf: (path: PathPart[]) => number | undefined } {
  const lines = new LineCounter();
  const document = parseDocument(content, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new PolicyFileError(
      source,
      document.errors.map((error) => `line ${lines.linePos(error.pos[0]).line}: ${error.message.split('\n')[0]}`),
    );
  }
  return {
    data: document.toJS({ maxAliasCount: 100 }) as unknown,
    lineOf: (path) => lineOf(document.contents, path, lines),
  };
}

/**
 * A policy file's text → the validated policy; any problem throws a PolicyFileError naming them
 * all, each with its line.
 */
export function parsePolicy(content: string, source: string): Policy {
  const parsed = parsePolicyData(content, source);
  const { policy, issues } = readPolicy(parsed.data);
  if (policy === undefined) {
    const located = issues.map((issue) => ({ issue, line: parsed.lineOf(issue.path) }));
    located.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
    throw new PolicyFileError(
      source,
      located.map(({ issue, line }) => describeIssue(issue, line)),
    );
  }
  return policy;
}

export function loadPolicyFile(path: string): Policy {
  let content: string;
  try {
    content = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyFileError(path, [`cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`]);
  }
  return parsePolicy(content, path);
}

/** policy/default.yaml at the package root, from src/decision (ts) or dist/decision (built). */
export function defaultPolicyPath(): string {
  const candidates = [
    join(__dirname, '..', '..', 'policy', 'default.yaml'),
    join(__dirname, '..', '..', '..', 'policy', 'default.yaml'),
  ];
  return candidates.find((candidate) => existsSync(candidate)) ?? candidates[0];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeRules(base: unknown, overrides: unknown[]): unknown[] {
  const rules = Array.isArray(base) ? [...(base as unknown[])] : [];
  for (const override of overrides) {
    const index = isRecord(override) ? rules.findIndex((r) => isRecord(r) && r.id === override.id) : -1;
    if (index >= 0) {
      rules[index] = mergePolicyData(rules[index], override);
    } else {
      rules.push(override);
    }
  }
  return rules;
}

/**
 * `overrides` laid over `base` (both plain data, before validation): mappings merge key by key,
 * `rules` merge by id (an unknown id is a new rule), other lists and values replace.
 */
export function mergePolicyData(base: unknown, overrides: unknown): unknown {
  if (!isRecord(base) || !isRecord(overrides)) {
    return overrides;
  }
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (key === 'rules' && Array.isArray(value)) {
      out.rules = mergeRules(base.rules, value);
    } else {
      out[key] = isRecord(value) && isRecord(base[key]) ? mergePolicyData(base[key], value) : value;
    }
  }
  return out;
}

/** The default policy with `overrides` laid over it, validated (for tests and replays). */
export function policyWithOverrides(overrides: unknown, source: string): Policy {
  const base = parsePolicyData(readFileSync(defaultPolicyPath(), 'utf8'), defaultPolicyPath()).data;
  const { policy, issues } = readPolicy(mergePolicyData(base, overrides));
  if (policy === undefined) {
    throw new PolicyFileError(
      source,
      issues.map((issue) => describeIssue(issue)),
    );
  }
  return policy;
}
