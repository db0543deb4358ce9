import { DEFAULT_POLICY } from '../default-policy';
import { LlmBounds, Policy } from '../policy';
import {
  AdviceInput,
  applyLlmAdvice,
  CurrentDecision,
  DEFAULT_LLM_BOUNDS,
  DEFAULT_REVIEW_TRIGGERS,
  llmBoundsOf,
  PolicyView,
  reviewTrigger,
  reviewTriggersOf,
} from './llm-advice';

const NOW = new Date('2026-11-24T12:00:00Z');
const inMinutes = (m: number): Date => new Date(NOW.getTime() + m * 60_000);

const policyWith = (llm: Partial<LlmBounds> = {}): Policy => ({
  ...DEFAULT_POLICY,
  llm: { maxAction: 'block', mayShortenSoftBlocks: true, approval: 'auto', ...llm },
});

// What the policy says with a verdict: its winning rule.
const BRUTE_FORCE: PolicyView = {
  action: 'block',
  ruleId: 'ssh-brute-force',
  reason: '5 failures',
  hardEvidence: true,
};
const VERDICT_HIGH: PolicyView = { action: 'block', ruleId: 'verdict-high', reason: 'score ≥ 80', hardEvidence: false };
const VERDICT_MEDIUM: PolicyView = {
  action: 'alert',
  ruleId: 'verdict-medium',
  reason: 'score ≥ 50',
  hardEvidence: false,
};
const XSS: PolicyView = { action: 'alert', ruleId: 'web-attack-medium', reason: 'xss', hardEvidence: false };
const SCANNER: PolicyView = { action: 'monitor', ruleId: 'scanner-seen', reason: 'scanner', hardEvidence: false };

const inForce = (view: PolicyView, extra: Partial<CurrentDecision> = {}): CurrentDecision => ({
  action: view.action,
  origin: 'policy',
  ruleId: view.ruleId,
  hardEvidence: view.hardEvidence,
  expiresAt: inMinutes(40),
  ...extra,
});

const input = (over: Partial<AdviceInput>): AdviceInput => ({
  current: null,
  heuristic: null,
  proposal: null,
  llmVerdict: { score: 0, level: 'none' },
  allowListed: false,
  pendingLlmBlock: false,
  offenceCount: 0,
  now: NOW,
  ...over,
});

const benign = { score: 0, level: 'none' } as const;
const hostile = { score: 90, level: 'critical' } as const;
const medium = { score: 60, level: 'medium' } as const;

describe(applyLlmAdvice.name, () => {
  it.each([
    // Raise within bounds.
    {
      name: 'monitor → alert on a medium LLM score',
      policy: policyWith(),
      input: input({ current: inForce(SCANNER), heuristic: SCANNER, proposal: VERDICT_MEDIUM, llmVerdict: medium }),
      expected: { kind: 'raise', action: 'alert', status: 'active', ruleId: 'verdict-medium' },
    },
    {
      name: 'alert → block on a high LLM score',
      policy: policyWith(),
      input: input({ current: inForce(XSS), heuristic: XSS, proposal: VERDICT_HIGH, llmVerdict: hostile }),
      expected: { kind: 'raise', action: 'block', status: 'active', ruleId: 'verdict-high', durationSeconds: 600 },
    },
    {
      name: 'a block for a repeat offender lasts longer',
      policy: policyWith(),
      input: input({
        current: inForce(XSS),
        heuristic: XSS,
        proposal: VERDICT_HIGH,
        llmVerdict: hostile,
        offenceCount: 2,
      }),
      expected: { kind: 'raise', action: 'block', durationSeconds: 2400 },
    },
    {
      name: 'nothing in force → alert',
      policy: policyWith(),
      input: input({ proposal: VERDICT_MEDIUM, llmVerdict: medium }),
      expected: { kind: 'raise', action: 'alert' },
    },
    // Cap at maxAction.
    {
      name: 'capped at maxAction alert',
      policy: policyWith({ maxAction: 'alert' }),
      input: input({ current: inForce(SCANNER), heuristic: SCANNER, proposal: VERDICT_HIGH, llmVerdict: hostile }),
      expected: { kind: 'raise', action: 'alert', reason: expect.stringMatching(/capped at alert/) },
    },
    {
      name: 'capped at maxAction monitor: no raise above it',
      policy: policyWith({ maxAction: 'monitor' }),
      input: input({ current: inForce(SCANNER), heuristic: SCANNER, proposal: VERDICT_HIGH, llmVerdict: hostile }),
      expected: { kind: 'keep', result: 'confirmed' },
    },
    // Approval.
    {
      name: 'approval pending: the proposed block waits for an analyst',
      policy: policyWith({ approval: 'pending' }),
      input: input({ current: inForce(XSS), heuristic: XSS, proposal: VERDICT_HIGH, llmVerdict: hostile }),
      expected: { kind: 'raise', action: 'block', status: 'pending' },
    },
    {
      name: 'approval pending: an alert still takes effect',
      policy: policyWith({ approval: 'pending' }),
      input: input({ current: inForce(SCANNER), heuristic: SCANNER, proposal: VERDICT_MEDIUM, llmVerdict: medium }),
      expected: { kind: 'raise', action: 'alert', status: 'active' },
    },
    {
      name: 'approval pending: one proposal at a time',
      policy: policyWith({ approval: 'pending' }),
      input: input({ current: inForce(XSS), proposal: VERDICT_HIGH, llmVerdict: hostile, pendingLlmBlock: true }),
      expected: { kind: 'keep', result: 'unchanged' },
    },
    // Never block allow-listed.
    {
      name: 'allow-listed: a block becomes an alert',
      policy: policyWith(),
      input: input({ current: inForce(SCANNER), proposal: VERDICT_HIGH, llmVerdict: hostile, allowListed: true }),
      expected: { kind: 'raise', action: 'alert', reason: expect.stringMatching(/allow-listed/) },
    },
    {
      name: 'allow-listed with an alert in force: nothing more',
      policy: policyWith(),
      input: input({ current: inForce(XSS), proposal: VERDICT_HIGH, llmVerdict: hostile, allowListed: true }),
      expected: { kind: 'keep', result: 'confirmed' },
    },
    // Never lift hard evidence.
    {
      name: 'benign model vs an SSH brute force block',
      policy: policyWith(),
      input: input({
        current: inForce(BRUTE_FORCE),
        heuristic: BRUTE_FORCE,
        proposal: BRUTE_FORCE,
        llmVerdict: benign,
      }),
      expected: { kind: 'keep', result: 'confirmed' },
    },
    {
      name: 'benign model, hard-evidence block, proposal empty',
      policy: policyWith(),
      input: input({ current: inForce(BRUTE_FORCE), heuristic: BRUTE_FORCE, llmVerdict: benign }),
      expected: { kind: 'keep', result: 'unchanged', why: expect.stringMatching(/hard evidence/) },
    },
    {
      name: 'a soft block that hard evidence now also supports is not shortened',
      policy: policyWith(),
      input: input({ current: inForce(VERDICT_HIGH), heuristic: BRUTE_FORCE, llmVerdict: benign }),
      expected: { kind: 'keep', result: 'unchanged' },
    },
    {
      name: "an analyst's manual block is never shortened",
      policy: policyWith(),
      input: input({ current: inForce(VERDICT_HIGH, { origin: 'manual' }), llmVerdict: benign }),
      expected: { kind: 'keep', result: 'unchanged' },
    },
    // Shorten soft blocks only if allowed.
    {
      name: 'a soft block is shortened when allowed',
      policy: policyWith({ mayShortenSoftBlocks: true }),
      input: input({
        current: inForce(VERDICT_HIGH),
        heuristic: VERDICT_HIGH,
        proposal: VERDICT_MEDIUM,
        llmVerdict: medium,
      }),
      expected: { kind: 'shorten', expiresAt: inMinutes(5) },
    },
    {
      name: 'a soft block stands when the policy does not allow shortening',
      policy: policyWith({ mayShortenSoftBlocks: false }),
      input: input({ current: inForce(VERDICT_HIGH), heuristic: VERDICT_HIGH, llmVerdict: benign }),
      expected: { kind: 'keep', result: 'unchanged', why: expect.stringMatching(/does not let/) },
    },
    {
      name: 'shortening never lengthens a block',
      policy: policyWith(),
      input: input({ current: inForce(VERDICT_HIGH, { expiresAt: inMinutes(2) }), llmVerdict: benign }),
      expected: { kind: 'keep', result: 'unchanged' },
    },
    {
      name: 'a soft block the LLM agrees with is confirmed',
      policy: policyWith(),
      input: input({
        current: inForce(VERDICT_HIGH),
        heuristic: VERDICT_HIGH,
        proposal: VERDICT_HIGH,
        llmVerdict: hostile,
      }),
      expected: { kind: 'keep', result: 'confirmed' },
    },
    // Never lowers alerts or monitors.
    {
      name: 'benign model vs an alert',
      policy: policyWith(),
      input: input({ current: inForce(XSS), heuristic: XSS, proposal: XSS, llmVerdict: benign }),
      expected: { kind: 'keep', result: 'confirmed' },
    },
    {
      name: 'benign model, an alert, empty proposal: the alert stays',
      policy: policyWith(),
      input: input({ current: inForce(XSS), heuristic: XSS, llmVerdict: benign }),
      expected: { kind: 'keep', result: 'unchanged', why: expect.stringMatching(/may not lower/) },
    },
    {
      name: 'benign model, nothing in force',
      policy: policyWith(),
      input: input({ llmVerdict: benign }),
      expected: { kind: 'keep', result: 'unchanged' },
    },
    // The policy's own decision is not credited to the LLM.
    {
      name: 'a proposal no higher than the heuristic outcome is not a raise',
      policy: policyWith(),
      input: input({ heuristic: BRUTE_FORCE, proposal: BRUTE_FORCE, llmVerdict: hostile }),
      expected: { kind: 'keep', result: 'unchanged' },
    },
  ])('$name', ({ policy, input: given, expected }) => {
    expect(applyLlmAdvice(given, policy)).toEqual(expect.objectContaining(expected));
  });

  it('keeps every block that hard evidence made, whatever a benign-everything model says', () => {
    for (const llm of [benign, medium, { score: 30, level: 'low' } as const]) {
      for (const bounds of [{}, { maxAction: 'monitor' as const }, { approval: 'pending' as const }]) {
        const advice = applyLlmAdvice(
          input({ current: inForce(BRUTE_FORCE), heuristic: BRUTE_FORCE, llmVerdict: llm }),
          policyWith(bounds),
        );
        expect(advice.kind).toBe('keep');
      }
    }
  });

  it('never blocks an allow-listed actor, whatever the bounds', () => {
    for (const bounds of [{}, { approval: 'pending' as const }, { maxAction: 'block' as const }]) {
      const advice = applyLlmAdvice(
        input({ proposal: VERDICT_HIGH, llmVerdict: hostile, allowListed: true }),
        policyWith(bounds),
      );
      expect(advice.kind === 'raise' && advice.action).not.toBe('block');
    }
  });
});

describe(reviewTrigger.name, () => {
  it.each([
    { name: 'a new block', action: 'block', score: 85, expected: 'decision' },
    { name: 'a new alert', action: 'alert', score: 30, expected: 'decision' },
    { name: 'a new monitor, low score', action: 'monitor', score: 25, expected: null },
    { name: 'no decision, ambiguous score', action: null, score: 55, expected: 'score_band' },
    { name: 'no decision, band edges', action: null, score: 40, expected: 'score_band' },
    { name: 'no decision, just above the band', action: null, score: 80, expected: null },
    { name: 'no decision, benign', action: null, score: 0, expected: null },
  ] as const)('$name → $expected', ({ action, score, expected }) => {
    expect(reviewTrigger(action, score, DEFAULT_REVIEW_TRIGGERS)).toBe(expected);
  });
});

describe('defaults', () => {
  it('fill in what a policy does not say', () => {
    expect(llmBoundsOf({} as Policy)).toEqual(DEFAULT_LLM_BOUNDS);
    expect(reviewTriggersOf({} as Policy)).toEqual(DEFAULT_REVIEW_TRIGGERS);
    expect(llmBoundsOf({ llm: { approval: 'pending' } } as Policy)).toEqual({
      ...DEFAULT_LLM_BOUNDS,
      approval: 'pending',
    });
  });
});
