import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { ReviewService } from '../src/decision/review/review.service';
import { LlmStats } from '../src/metrics/llm-metrics';
import { FakeAnthropic } from './fake-anthropic';
import { startApp, TestApp } from './harness';

export const TEST_KEY = 'fake-anthropic-key-never-real-0123456789';

/** Settings for an app whose analyst is the fake Messages API: fast retries, a quick breaker. */
export function llmSettings(fake: FakeAnthropic, extra: Record<string, string> = {}): Record<string, string> {
  return {
    ANTHROPIC_API_KEY: TEST_KEY,
    ANTHROPIC_BASE_URL: fake.url,
    LLM_TIMEOUT_MS: '400',
    LLM_MAX_RETRIES: '2',
    LLM_RETRY_BASE_MS: '20',
    LLM_BREAKER_THRESHOLD: '50',
    LLM_BREAKER_COOLDOWN_MS: '1000',
    LLM_MAX_CALLS_PER_MINUTE: '100000',
    LLM_QUEUE_MAX: '10000',
    LLM_CONCURRENCY: '4',
    ...extra,
  };
}

/** A copy of policy/default.yaml, edited by `edit`, in a temporary file (for POLICY_FILE). */
export function policyFile(edit: (yaml: string) => string): { path: string; remove(): void } {
  const text = readFileSync(join(__dirname, '..', 'policy', 'default.yaml'), 'utf8');
  const edited = edit(text);
  if (edited === text) {
    throw new Error('the edit did not change policy/default.yaml');
  }
  const dir = mkdtempSync(join(tmpdir(), 'soc-policy-'));
  const path = join(dir, 'policy.yaml');
  writeFileSync(path, edited);
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The default policy with its `llm` bounds replaced by `llm` (indented YAML lines). */
export function policyFileWithLlm(llm: string): { path: string; remove(): void } {
  return policyFile((text) => text.replace(/^llm:\n(?: {2}.*\n|\s*#.*\n)*/m, `llm:\n${llm}\n`));
}

export async function llmStats(t: TestApp): Promise<LlmStats> {
  return (await request(t.server).get('/llm/stats').expect(200)).body as LlmStats;
}

/** Waits until no review waits or runs. */
export async function reviewsSettled(t: TestApp, ms = 15_000): Promise<void> {
  await Promise.race([
    t.app.get(ReviewService).whenIdle(),
    new Promise((_, reject) => setTimeout(() => reject(new Error('reviews did not settle')), ms).unref()),
  ]);
}

export async function startWithFake(
  extra: Record<string, string> = {},
): Promise<{ t: TestApp; fake: FakeAnthropic; close(): Promise<void> }> {
  const fake = await FakeAnthropic.start();
  const t = await startApp(llmSettings(fake, extra));
  return {
    t,
    fake,
    close: async () => {
      await t.close();
      await fake.close();
    },
  };
}

/** The decision in force for an address, as GET /actors/:ip shows it. */
export async function decisionOf(t: TestApp, ip: string): Promise<Record<string, unknown> | null> {
  const actor = await request(t.server).get(`/actors/${ip}`).expect(200);
  return actor.body.decision as Record<string, unknown> | null;
}
