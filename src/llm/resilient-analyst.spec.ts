import { TriageContext } from '../context/triage-context';
import { LlmCallError } from './llm-call-error';
import { LlmProvider } from './llm-provider';
import { AnalystClock, AnalystSettings, ResilientAnalyst } from './resilient-analyst';
import { AnalystObserver } from '../domain/llm-call';
import { Verdict } from '../domain/verdict';

const VERDICT: Verdict = {
  level: 'high',
  score: 85,
  categories: ['brute_force'],
  techniques: ['T1110'],
  confidence: 0.9,
  rationale: 'x',
  provider: 'anthropic',
  model: 'm',
  latencyMs: 5,
};
const CONTEXT = {} as TriageContext;
const SETTINGS: AnalystSettings = {
  maxRetries: 2,
  baseMs: 100,
  maxWaitMs: 5000,
  threshold: 3,
  cooldownMs: 60_000,
  callsPerMinute: 100,
};

type Step = Verdict | LlmCallError;

/** A provider that answers a script, and a clock that only moves when the analyst sleeps. */
function rig(steps: Step[], settings: Partial<AnalystSettings> = {}) {
  const calls: number[] = [];
  const sleeps: number[] = [];
  let now = 0;
  const provider: LlmProvider = {
    name: 'anthropic',
    judge: () => {
      calls.push(now);
      const step = steps.shift() ?? VERDICT;
      return step instanceof LlmCallError ? Promise.reject(step) : Promise.resolve(step);
    },
  };
  const clock: AnalystClock = {
    now: () => now,
    random: () => 0,
    sleep: (ms) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
  const seen = { attempts: [] as string[], retries: 0, opened: 0 };
  const observer: AnalystObserver = {
    attempt: (o) => seen.attempts.push(o.ok ? 'ok' : o.kind),
    retry: () => (seen.retries += 1),
    breakerOpened: () => (seen.opened += 1),
  };
  const analyst = new ResilientAnalyst(provider, { ...SETTINGS, ...settings }, observer, clock);
  return { analyst, calls, sleeps, seen, advance: (ms: number) => (now += ms) };
}

const fail = (kind: LlmCallError['kind'], retryAfterMs?: number) => new LlmCallError(kind, kind, { retryAfterMs });

describe(ResilientAnalyst.name, () => {
  it('returns the verdict of a call that succeeds', async () => {
    const { analyst, seen } = rig([VERDICT]);
    await expect(analyst.review(CONTEXT)).resolves.toEqual({ kind: 'verdict', verdict: VERDICT, attempts: 1 });
    expect(seen.attempts).toEqual(['ok']);
  });

  it('retries 429, 529 and 5xx with backoff, honouring retry-after', async () => {
    const { analyst, sleeps, seen } = rig([fail('rate_limited', 1500), fail('overloaded'), VERDICT]);
    const result = await analyst.review(CONTEXT);
    expect(result).toMatchObject({ kind: 'verdict', attempts: 3 });
    expect(sleeps).toEqual([1500, 100]);
    expect(seen).toMatchObject({ attempts: ['rate_limited', 'overloaded', 'ok'], retries: 2 });
  });

  it('gives up after maxRetries: the heuristic stands', async () => {
    const { analyst, calls } = rig([fail('server_error'), fail('server_error'), fail('server_error'), VERDICT]);
    await expect(analyst.review(CONTEXT)).resolves.toEqual({
      kind: 'fallback',
      reason: 'failed',
      failure: 'server_error',
      attempts: 3,
    });
    expect(calls).toHaveLength(3);
  });

  it('does not retry an unusable answer', async () => {
    const { analyst, calls } = rig([fail('invalid_output'), VERDICT]);
    await expect(analyst.review(CONTEXT)).resolves.toMatchObject({ reason: 'failed', failure: 'invalid_output' });
    expect(calls).toHaveLength(1);
  });

  it('opens the breaker after consecutive failures, stops calling, and tries again after the cool-down', async () => {
    const { analyst, calls, seen, advance } = rig([fail('timeout'), fail('timeout'), fail('timeout'), VERDICT], {
      maxRetries: 0,
    });
    for (let i = 0; i < 3; i++) {
      await analyst.review(CONTEXT);
    }
    expect(seen.opened).toBe(1);
    expect(analyst.breakerState()).toBe('open');
    await expect(analyst.review(CONTEXT)).resolves.toMatchObject({
      kind: 'fallback',
      reason: 'breaker_open',
      attempts: 0,
    });
    expect(calls).toHaveLength(3);
    advance(60_000);
    expect(analyst.breakerState()).toBe('half_open');
    await expect(analyst.review(CONTEXT)).resolves.toMatchObject({ kind: 'verdict' });
    expect(analyst.breakerState()).toBe('closed');
  });

  it('stops retrying when the breaker opens mid-review', async () => {
    const { analyst, calls } = rig([fail('overloaded'), fail('overloaded'), VERDICT], { threshold: 2, maxRetries: 5 });
    await expect(analyst.review(CONTEXT)).resolves.toMatchObject({ kind: 'fallback', reason: 'breaker_open' });
    expect(calls).toHaveLength(2);
  });

  it('counts every attempt against the per-minute budget', async () => {
    const { analyst, calls, advance } = rig([fail('overloaded'), VERDICT, VERDICT], { callsPerMinute: 2 });
    await expect(analyst.review(CONTEXT)).resolves.toMatchObject({ kind: 'verdict', attempts: 2 });
    await expect(analyst.review(CONTEXT)).resolves.toMatchObject({ kind: 'fallback', reason: 'budget' });
    expect(calls).toHaveLength(2);
    expect(analyst.budgetUsed()).toBe(2);
    advance(60_000);
    await expect(analyst.review(CONTEXT)).resolves.toMatchObject({ kind: 'verdict' });
  });

  it('ends at once, without judging the API, when aborted', async () => {
    const controller = new AbortController();
    const { analyst } = rig([fail('aborted')]);
    await expect(analyst.review(CONTEXT, controller.signal)).resolves.toMatchObject({ reason: 'aborted' });
    controller.abort();
    await expect(analyst.review(CONTEXT, controller.signal)).resolves.toMatchObject({ reason: 'aborted', attempts: 0 });
    expect(analyst.consecutiveFailures).toBe(0);
  });
});
