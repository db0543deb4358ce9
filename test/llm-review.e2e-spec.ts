import request from 'supertest';
import { Reply } from './fake-anthropic';
import { sshFailures } from './harness';
import {
  decisionOf,
  llmStats,
  policyFile,
  policyFileWithLlm,
  reviewsSettled,
  startWithFake,
  TEST_KEY,
} from './llm-e2e';

/**
 * Claude reviews actors through the real SDK, talking to the fake Messages API on loopback.
 * Every path: a verdict raising a decision (auto and pending approval), 429 with retry-after,
 * 529, 500, answers past the timeout, malformed tool calls, the breaker, a full queue and an
 * exhausted budget. In each, ingest answers 202, every event is stored, and where the LLM
 * gives no usable verdict the heuristic's decision stands.
 */

const HOSTILE: Reply = {
  kind: 'verdict',
  input: {
    level: 'critical',
    score: 92,
    categories: ['web_exploit'],
    techniques: ['T1189'],
    confidence: 0.9,
    rationale: 'Repeated cross-site scripting attempts.',
  },
};

/** One XSS attempt: the heuristic alerts (web-attack-medium), which triggers a review. */
const xss = (ip: string, i = 0) => ({
  timestamp: new Date(Date.parse('2026-11-24T10:00:00Z') + i * 1000).toISOString(),
  source_ip: ip,
  event_type: 'http_request',
  url: `/search?q=<script>alert(${i})</script>`,
});

const ALL_AUTO = '  maxAction: block\n  mayShortenSoftBlocks: true\n  approval: auto';
const PENDING = '  maxAction: block\n  mayShortenSoftBlocks: false\n  approval: pending';

describe('LLM review (fake Messages API)', () => {
  describe('with a verdict, approval auto', () => {
    const policy = policyFileWithLlm(ALL_AUTO);
    let rig: Awaited<ReturnType<typeof startWithFake>>;
    beforeAll(async () => {
      rig = await startWithFake({ POLICY_FILE: policy.path });
    });
    afterAll(async () => {
      await rig.close();
      policy.remove();
    });

    it('raises an alert to a block within the policy, keeping model, latency, tokens and rationale', async () => {
      const { t, fake } = rig;
      fake.otherwise(HOSTILE);
      const res = await request(t.server).post('/ingest-log').send(xss('192.0.2.10')).expect(202);
      expect(res.body.decision).toMatchObject({ action: 'alert', origin: 'policy' });
      await reviewsSettled(t);

      const actor = (await request(t.server).get('/actors/192.0.2.10').expect(200)).body;
      expect(actor.decision).toMatchObject({
        action: 'block',
        origin: 'llm',
        status: 'active',
        ruleId: 'verdict-high',
        createdBy: 'llm:claude-haiku-5-5',
        reason: expect.stringMatching(/^LLM review \(score 92, critical\)/),
      });
      expect(actor.verdicts[0]).toMatchObject({
        provider: 'anthropic',
        model: 'claude-haiku-5-5',
        score: 92,
        rationale: 'Repeated cross-site scripting attempts.',
        inputTokens: 1200,
        outputTokens: 80,
        latencyMs: expect.any(Number),
      });
      expect(actor.profile.offenceCount).toBe(1);
      const blocks = await request(t.server).get('/decisions?action=block').expect(200);
      expect(blocks.body.items.map((d: { value: string }) => d.value)).toContain('192.0.2.10');
    });

    it('sends one forced, strict tool call with the cached system prompt and the key, and no SDK retries', () => {
      const sent = rig.fake.requests[0];
      expect(sent.path).toBe('/v1/messages');
      const auth = sent.headers['x-api-key'] ?? sent.headers.authorization;
      expect(auth === TEST_KEY || auth === `Bearer ${TEST_KEY}`).toBe(true);
      expect(sent.headers['x-stainless-retry-count']).toBe('0');
      expect(sent.body).toMatchObject({
        model: 'claude-haiku-5-5',
        tool_choice: { type: 'tool', name: 'record_verdict' },
        tools: [{ name: 'record_verdict', strict: true }],
        system: [{ type: 'text', cache_control: { type: 'ephemeral' } }],
      });
      expect(sent.raw).not.toContain('<script>');
    });

    it('serves the counters as JSON and in the Prometheus exposition', async () => {
      const stats = await llmStats(rig.t);
      expect(stats).toMatchObject({
        setup: { provider: 'anthropic', model: 'claude-haiku-5-5' },
        calls: { success: 1, failure: 0 },
        tokens: { input: 1200, output: 80 },
        queue: { depth: 0, inFlight: 0 },
        breaker: { state: 'closed' },
        reviews: { results: { raised: 1 } },
      });
      const text = (await request(rig.t.server).get('/metrics').expect(200)).text;
      expect(text).toMatch(/^soc_llm_calls_total\{outcome="success"\} 1$/m);
      expect(text).toMatch(/^soc_llm_tokens_total\{type="input"\} 1200$/m);
      expect(text).toMatch(/^soc_llm_queue_depth 0$/m);
      expect(text).toMatch(/^soc_llm_call_duration_seconds_count\{outcome="success"\} 1$/m);
      expect(text).not.toContain(TEST_KEY);
    });
  });

  describe('with approval pending', () => {
    const policy = policyFileWithLlm(PENDING);
    let rig: Awaited<ReturnType<typeof startWithFake>>;
    beforeAll(async () => {
      rig = await startWithFake({ POLICY_FILE: policy.path });
    });
    afterAll(async () => {
      await rig.close();
      policy.remove();
    });

    it('stores the block the LLM proposes as pending, origin llm; the alert stays in force', async () => {
      const { t, fake } = rig;
      fake.otherwise(HOSTILE);
      await request(t.server).post('/ingest-log').send(xss('192.0.2.20')).expect(202);
      await reviewsSettled(t);
      const actor = (await request(t.server).get('/actors/192.0.2.20').expect(200)).body;
      expect(actor.decision).toMatchObject({ action: 'alert', origin: 'policy' });
      expect(actor.decisions).toContainEqual(
        expect.objectContaining({ action: 'block', status: 'pending', origin: 'llm', ruleId: 'verdict-high' }),
      );
      const blocks = await request(t.server).get('/decisions?action=block').expect(200);
      expect(blocks.body.items.map((d: { value: string }) => d.value)).not.toContain('192.0.2.20');
    });
  });

  describe('a soft block (made by the score alone)', () => {
    /** The default policy, with verdict-high at 60: the heuristic's score alone blocks an XSS attempt. */
    const softPolicy = (mayShorten: boolean) =>
      policyFile((yaml) =>
        yaml
          .replace('when: { scoreAtLeast: 80 }', 'when: { scoreAtLeast: 60 }')
          .replace(
            /^llm:\n(?: {2}.*\n|\s*#.*\n)*/m,
            `llm:\n  maxAction: block\n  mayShortenSoftBlocks: ${mayShorten}\n  approval: auto\n`,
          ),
      );

    it.each([
      { mayShorten: true, ip: '192.0.2.90' },
      { mayShorten: false, ip: '192.0.2.91' },
    ])(
      'mayShortenSoftBlocks=$mayShorten: a benign verdict shortens it only when allowed',
      async ({ mayShorten, ip }) => {
        const policy = softPolicy(mayShorten);
        const rig = await startWithFake({ POLICY_FILE: policy.path });
        try {
          rig.fake.otherwise({ kind: 'verdict' });
          const res = await request(rig.t.server).post('/ingest-log').send(xss(ip)).expect(202);
          expect(res.body.decision).toMatchObject({ action: 'block', ruleId: 'verdict-high', origin: 'policy' });
          const original = res.body.decision as { id: string; expiresAt: string };
          await reviewsSettled(rig.t);
          const actor = (await request(rig.t.server).get(`/actors/${ip}`).expect(200)).body;
          if (!mayShorten) {
            expect(actor.decision).toMatchObject({ id: original.id, expiresAt: original.expiresAt });
            return;
          }
          expect(actor.decision).toMatchObject({ action: 'block', origin: 'llm', ruleId: 'verdict-high' });
          expect(Date.parse(actor.decision.expiresAt)).toBeLessThan(Date.parse(original.expiresAt));
          expect(actor.decisions).toContainEqual(
            expect.objectContaining({
              id: original.id,
              revokeReason: expect.stringMatching(/^shortened after LLM review/),
            }),
          );
        } finally {
          await rig.close();
          policy.remove();
        }
      },
    );
  });

  describe('faults', () => {
    let rig: Awaited<ReturnType<typeof startWithFake>>;
    beforeAll(async () => {
      rig = await startWithFake({ LLM_TIMEOUT_MS: '300' });
    });
    afterAll(() => rig.close());
    beforeEach(() => rig.fake.reset());

    async function alertThenReview(ip: string): Promise<void> {
      const res = await request(rig.t.server).post('/ingest-log').send(xss(ip)).expect(202);
      expect(res.body.decision).toMatchObject({ action: 'alert' });
      await reviewsSettled(rig.t);
    }

    it('429 with retry-after: waits as asked, then the verdict counts', async () => {
      const before = await llmStats(rig.t);
      rig.fake.script({ kind: 'status', status: 429, retryAfter: '1' }).otherwise(HOSTILE);
      await alertThenReview('192.0.2.30');
      const [first, second] = rig.fake.requests;
      expect(second.at - first.at).toBeGreaterThanOrEqual(950);
      expect(await decisionOf(rig.t, '192.0.2.30')).toMatchObject({ action: 'block', origin: 'llm' });
      const after = await llmStats(rig.t);
      expect(after.failures.rate_limited - before.failures.rate_limited).toBe(1);
      expect(after.retries - before.retries).toBe(1);
    });

    it('529 then 500: retried with backoff, then the verdict counts', async () => {
      rig.fake.script({ kind: 'status', status: 529 }, { kind: 'status', status: 500 }).otherwise(HOSTILE);
      await alertThenReview('192.0.2.31');
      expect(rig.fake.requests).toHaveLength(3);
      expect(await decisionOf(rig.t, '192.0.2.31')).toMatchObject({ action: 'block', origin: 'llm' });
    });

    it.each([
      {
        name: 'a persistent 500',
        reply: { kind: 'status', status: 500 } as Reply,
        kind: 'server_error',
        calls: 3,
        ip: '192.0.2.41',
      },
      {
        name: 'a persistent 529',
        reply: { kind: 'status', status: 529 } as Reply,
        kind: 'overloaded',
        calls: 3,
        ip: '192.0.2.42',
      },
      {
        name: 'answers past the timeout',
        reply: { kind: 'slow', delayMs: 3000 } as Reply,
        kind: 'timeout',
        calls: 3,
        ip: '192.0.2.43',
      },
      {
        name: 'a 401 (not retried)',
        reply: { kind: 'status', status: 401 } as Reply,
        kind: 'client_error',
        calls: 1,
        ip: '192.0.2.44',
      },
    ] as const)('$name: bounded retries, then the heuristic decision stands', async ({ reply, kind, calls, ip }) => {
      const before = await llmStats(rig.t);
      rig.fake.otherwise(reply);
      await alertThenReview(ip);
      expect(rig.fake.requests).toHaveLength(calls);
      expect(await decisionOf(rig.t, ip)).toMatchObject({ action: 'alert', origin: 'policy' });
      const after = await llmStats(rig.t);
      expect(after.failures[kind] - before.failures[kind]).toBe(calls);
      expect(after.fallbacks.failed - before.fallbacks.failed).toBe(1);
    });

    it.each(['bad_input', 'extra_keys', 'truncated', 'no_tool', 'two_tools', 'not_json'] as const)(
      'malformed answer (%s): a failed call, not retried, the heuristic stands',
      async (variant) => {
        const before = await llmStats(rig.t);
        rig.fake.otherwise({ kind: 'malformed', variant });
        const ip = `192.0.2.${60 + ['bad_input', 'extra_keys', 'truncated', 'no_tool', 'two_tools', 'not_json'].indexOf(variant)}`;
        await alertThenReview(ip);
        expect(rig.fake.requests).toHaveLength(1);
        expect(await decisionOf(rig.t, ip)).toMatchObject({ action: 'alert', origin: 'policy' });
        const actor = (await request(rig.t.server).get(`/actors/${ip}`).expect(200)).body;
        expect(actor.verdicts.map((v: { provider: string }) => v.provider)).toEqual(['heuristic']);
        const after = await llmStats(rig.t);
        expect(after.failures.invalid_output - before.failures.invalid_output).toBe(1);
      },
    );

    it('while the API hangs, ingest answers at once and loses nothing', async () => {
      rig.fake.otherwise({ kind: 'slow', delayMs: 5000 });
      const started = Date.now();
      const answers = [];
      for (let i = 0; i < 20; i++) {
        answers.push(await request(rig.t.server).post('/ingest-log').send(xss('192.0.2.80', i)));
      }
      const elapsed = Date.now() - started;
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
      expect(elapsed).toBeLessThan(3000);
      await reviewsSettled(rig.t);
      const actor = (await request(rig.t.server).get('/actors/192.0.2.80').expect(200)).body;
      expect(actor.profile.eventCount).toBe(20);
      expect(actor.decision).toMatchObject({ action: 'alert', origin: 'policy' });
    });
  });

  describe('circuit breaker', () => {
    let rig: Awaited<ReturnType<typeof startWithFake>>;
    beforeAll(async () => {
      rig = await startWithFake({ LLM_BREAKER_THRESHOLD: '3', LLM_MAX_RETRIES: '0', LLM_CONCURRENCY: '1' });
    });
    afterAll(() => rig.close());

    it('opens after consecutive failures, stops calling for the cool-down, then closes on a good trial', async () => {
      const { t, fake } = rig;
      fake.otherwise({ kind: 'status', status: 529 });
      for (const ip of ['192.0.2.101', '192.0.2.102', '192.0.2.103', '192.0.2.104']) {
        await request(t.server).post('/ingest-log').send(xss(ip)).expect(202);
        await reviewsSettled(t);
      }
      expect(fake.requests).toHaveLength(3);
      let stats = await llmStats(t);
      expect(stats.breaker).toEqual({ state: 'open', opened: 1 });
      expect(stats.fallbacks.breaker_open).toBe(1);
      expect(await decisionOf(t, '192.0.2.104')).toMatchObject({ action: 'alert', origin: 'policy' });
      expect((await request(t.server).get('/metrics').expect(200)).text).toMatch(/^soc_llm_breaker_state 2$/m);

      await new Promise((resolve) => setTimeout(resolve, 1100));
      fake.otherwise(HOSTILE);
      await request(t.server).post('/ingest-log').send(xss('192.0.2.105')).expect(202);
      await reviewsSettled(t);
      stats = await llmStats(t);
      expect(stats.breaker.state).toBe('closed');
      expect(fake.requests).toHaveLength(4);
      expect(await decisionOf(t, '192.0.2.105')).toMatchObject({ action: 'block', origin: 'llm' });
    });
  });

  describe('capacity', () => {
    it('a full queue drops reviews (counted) and never fails ingest', async () => {
      const rig = await startWithFake({ LLM_QUEUE_MAX: '1', LLM_CONCURRENCY: '1', LLM_TIMEOUT_MS: '2000' });
      try {
        rig.fake.otherwise({ kind: 'verdict', delayMs: 200 });
        const batch = Array.from({ length: 5 }, (_, i) => xss(`192.0.2.${120 + i}`));
        const res = await request(rig.t.server).post('/ingest-log/batch').send(batch).expect(202);
        expect(res.body.accepted).toBe(5);
        await reviewsSettled(rig.t);
        const stats = await llmStats(rig.t);
        expect(stats.dropped.queue_full).toBe(4);
        expect(rig.fake.requests).toHaveLength(1);
        for (let i = 0; i < 5; i++) {
          expect(await decisionOf(rig.t, `192.0.2.${120 + i}`)).toMatchObject({ action: 'alert' });
        }
      } finally {
        await rig.close();
      }
    });

    it('an exhausted per-minute budget drops reviews (counted); the heuristic stands', async () => {
      const rig = await startWithFake({ LLM_MAX_CALLS_PER_MINUTE: '2', LLM_CONCURRENCY: '1' });
      try {
        rig.fake.otherwise({ kind: 'verdict' });
        for (let i = 0; i < 4; i++) {
          await request(rig.t.server)
            .post('/ingest-log')
            .send(xss(`192.0.2.${140 + i}`))
            .expect(202);
        }
        await reviewsSettled(rig.t);
        const stats = await llmStats(rig.t);
        expect(rig.fake.requests).toHaveLength(2);
        expect(stats.dropped.budget).toBe(2);
        expect(stats.budget.usedLastMinute).toBe(2);
      } finally {
        await rig.close();
      }
    });
  });

  describe('a brute force whose model answers "benign" to everything', () => {
    let rig: Awaited<ReturnType<typeof startWithFake>>;
    beforeAll(async () => {
      const policy = policyFileWithLlm(ALL_AUTO);
      rig = await startWithFake({ POLICY_FILE: policy.path });
      policy.remove();
    });
    afterAll(() => rig.close());

    it('is still blocked, and the alert of a slower one still stands', async () => {
      const { t, fake } = rig;
      fake.otherwise({ kind: 'verdict' });
      await request(t.server).post('/ingest-log/batch').send(sshFailures('198.51.100.7', 6)).expect(202);
      await request(t.server).post('/ingest-log/batch').send(sshFailures('198.51.100.8', 3)).expect(202);
      await reviewsSettled(t);
      expect(fake.requests.length).toBeGreaterThanOrEqual(2);
      expect(await decisionOf(t, '198.51.100.7')).toMatchObject({ action: 'block', ruleId: 'ssh-brute-force' });
      expect(await decisionOf(t, '198.51.100.8')).toMatchObject({ action: 'alert' });
      const actor = (await request(t.server).get('/actors/198.51.100.7').expect(200)).body;
      expect(actor.verdicts[0]).toMatchObject({ provider: 'anthropic', score: 0 });
      expect(actor.decisions.filter((d: { revokedAt: string | null }) => d.revokedAt !== null)).toEqual([]);
    });
  });
});
