import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import { policyWithOverrides } from '../src/decision/policy-file';
import {
  field,
  list,
  object,
  oneOf,
  optional,
  Reader,
  formatPath,
  Issue,
  text,
  integer,
} from '../src/decision/policy-schema';
import { TaggedEvent } from '../src/domain/event';
import { tag } from '../src/ingest/signals/detectors';
import { LINE_FORMATS, LineFormat } from '../src/ingest/parsers/formats';
import { parseLine } from '../src/ingest/parsers/line';
import { parseRecord } from '../src/ingest/record';
import { StoredDecision } from '../src/domain/decision';
import { openReplayApp } from '../src/replay/replay-app';
import { Replayer } from '../src/replay/replay';

/**
 * A policy test written as data (test/policy-cases/*.yaml): a policy (the default with
 * overrides), input (raw log lines or event objects, with their times) and the decisions
 * expected, checked by driving the real application on event time (see src/replay/).
 */
export interface PolicyCase {
  file: string;
  name: string;
  /** Laid over policy/default.yaml; rules merge by id. */
  policy?: Record<string, unknown>;
  /** Environment settings, e.g. ALLOWLIST_CIDRS. */
  settings?: Record<string, string>;
  /** Reference time for parsing (a syslog stamp's year, the future-skew bound). */
  now: string;
  format?: LineFormat;
  /** `each`: one write per event, as events arrive live (default); `all`: one write for everything. */
  write: 'each' | 'all';
  input: { lines?: string[]; events?: Record<string, unknown>[] };
  expect: { actions?: string[]; decisions: ExpectedDecision[] };
}

export interface ExpectedDecision {
  value: string;
  action?: string;
  rule?: string;
  scope?: string;
  status?: string;
  seconds?: number;
  /** A substring of the reason, or /a regular expression/. */
  reason?: string;
}

const anyMapping: Reader<Record<string, unknown>> = (value, path, issues) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    issues.push({ path, reason: 'must be a mapping' });
    return undefined;
  }
  return value as Record<string, unknown>;
};

const settingsReader: Reader<Record<string, string>> = (value, path, issues) => {
  const mapping = anyMapping(value, path, issues);
  if (mapping !== undefined && Object.values(mapping).some((v) => typeof v !== 'string')) {
    issues.push({ path, reason: 'every setting must be a string' });
    return undefined;
  }
  return mapping as Record<string, string> | undefined;
};

/** A block of text (`lines: |`), one log line per line; blank lines are left out. */
const linesReader: Reader<string[]> = (value, path, issues) => {
  const lines = typeof value === 'string' ? value.split('\n').filter((line) => line.trim() !== '') : undefined;
  if (lines === undefined || lines.length === 0) {
    issues.push({ path, reason: 'must be a block of log lines (lines: |)' });
    return undefined;
  }
  return lines;
};

const expected = object<ExpectedDecision>({
  value: field(text({ max: 64 })),
  action: optional(oneOf(['monitor', 'alert', 'block', 'allow'])),
  rule: optional(text({ max: 64 })),
  scope: optional(oneOf(['ip', 'range'])),
  status: optional(oneOf(['active', 'simulated', 'pending', 'rejected'])),
  seconds: optional(integer(1, 400 * 86_400)),
  reason: optional(text({ max: 500 })),
});

/** `repeat` copies of an event, `everySeconds` apart, `{n}` in its strings numbered from 0. */
function expandEvents(events: Record<string, unknown>[]): Record<string, unknown>[] {
  return events.flatMap((event) => {
    const { repeat, everySeconds, ...rest } = event as { repeat?: number; everySeconds?: number };
    if (repeat === undefined) {
      return [event];
    }
    const start = Date.parse(String((rest as Record<string, unknown>).timestamp));
    return Array.from({ length: repeat }, (_, n) => {
      const copy: Record<string, unknown> = JSON.parse(JSON.stringify(rest).replace(/\{n\}/g, String(n))) as Record<
        string,
        unknown
      >;
      copy.timestamp = new Date(start + n * (everySeconds ?? 0) * 1000).toISOString();
      return copy;
    });
  });
}

const caseReader = object<Omit<PolicyCase, 'file'>>({
  name: field(text({ min: 5, max: 200 })),
  policy: optional(anyMapping),
  settings: optional(settingsReader),
  now: field(text({ max: 40 }), '2026-11-25T00:00:00Z'),
  format: optional(oneOf(LINE_FORMATS)),
  write: field(oneOf(['each', 'all'] as const), 'each'),
  input: field(
    object<PolicyCase['input']>({
      lines: optional(linesReader),
      events: optional(list(anyMapping, { min: 1, max: 10_000 })),
    }),
  ),
  expect: field(
    object<PolicyCase['expect']>({
      actions: optional(list(oneOf(['monitor', 'alert', 'block', 'allow']), { max: 4, unique: true })),
      decisions: field(list(expected, { max: 1000 })),
    }),
  ),
});

export function loadPolicyCase(path: string): PolicyCase {
  const issues: Issue[] = [];
  const read = caseReader(parse(readFileSync(path, 'utf8')), [], issues);
  if (read === undefined || (read.input.lines === undefined) === (read.input.events === undefined)) {
    const problems = issues.map((issue) => `${formatPath(issue.path)}: ${issue.reason}`);
    throw new Error(`${path}: ${problems.join('; ') || 'input needs lines or events (one of them)'}`);
  }
  return {
    ...read,
    file: basename(path),
    input: { ...read.input, events: read.input.events && expandEvents(read.input.events) },
  };
}

function parseInput(testCase: PolicyCase): TaggedEvent[] {
  const now = new Date(testCase.now);
  const parsed = testCase.input.lines
    ? testCase.input.lines.map((line) => parseLine(line, { now, format: testCase.format }))
    : (testCase.input.events ?? []).map((event) => parseRecord(event, now));
  return parsed.map((result, index) => {
    if (!result.ok) {
      throw new Error(`${testCase.file}: input ${index} is not usable: ${result.reason}`);
    }
    return tag(result.event);
  });
}

/** Runs the case through the real application (in-process, event time) and returns every decision made. */
export async function runPolicyCase(testCase: PolicyCase): Promise<StoredDecision[]> {
  const dir = mkdtempSync(join(tmpdir(), 'soc-case-'));
  const settings = { ...testCase.settings };
  if (testCase.policy !== undefined) {
    const policyFile = join(dir, 'policy.json');
    writeFileSync(policyFile, JSON.stringify(policyWithOverrides(testCase.policy, testCase.file)));
    settings.POLICY_FILE = policyFile;
  }
  const app = await openReplayApp(settings);
  try {
    const replayer = new Replayer(app);
    const events = parseInput(testCase);
    const writes = testCase.write === 'all' ? [events] : events.map((event) => [event]);
    for (const write of writes) {
      const latest = write.reduce((max, e) => (e.eventTime > max ? e.eventTime : max), write[0].eventTime);
      await replayer.write(write, latest);
    }
    return replayer.made;
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The decisions as the case describes them: only the fields it names, only the actions it asks about. */
export function comparable(made: StoredDecision[], testCase: PolicyCase): Record<string, unknown>[] {
  const actions = testCase.expect.actions;
  return made
    .filter((d) => actions === undefined || actions.includes(d.action))
    .map((d, index) => {
      const want = testCase.expect.decisions[index] ?? {};
      const actual: Record<string, unknown> = {
        value: d.value,
        action: d.action,
        rule: d.ruleId,
        scope: d.scope,
        status: d.status,
        seconds: Math.round((d.expiresAt.getTime() - d.createdAt.getTime()) / 1000),
        reason: d.reason,
      };
      return Object.fromEntries(
        Object.entries(actual)
          .filter(([key]) => key === 'value' || key in want)
          .map(([key, value]) => [key, key === 'reason' ? reasonMatch(String(value), want.reason) : value]),
      );
    });
}

function reasonMatch(actual: string, want: string | undefined): string {
  if (want === undefined) {
    return actual;
  }
  const pattern = /^\/(.*)\/$/.exec(want);
  const matches = pattern !== null ? new RegExp(pattern[1]).test(actual) : actual.includes(want);
  return matches ? want : actual;
}

export const POLICY_CASES_DIR = join(__dirname, 'policy-cases');
