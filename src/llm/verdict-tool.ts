import type { Message, Tool } from '@anthropic-ai/sdk/resources/messages/messages';
import { stripUnsafe } from '../context/sanitise';
import type { CallUsage } from '../domain/llm-call';
import {
  ATTACK_TECHNIQUE_PATTERN,
  THREAT_CATEGORIES,
  THREAT_LEVELS,
  ThreatCategory,
  ThreatLevel,
  Verdict,
} from '../domain/verdict';

/** The one tool Claude is made to call: its input is the verdict. */
export const VERDICT_TOOL_NAME = 'record_verdict';
export const RATIONALE_MAX = 600;
export const TECHNIQUES_MAX = 12;
/** The `model` column holds 64 characters. */
const MODEL_MAX = 64;

/**
 * Strict tool use constrains sampling to this schema, so it keeps to the subset strict mode
 * accepts (every property required, no additional properties, no numeric or length bounds);
 * the bounds are enforced by `checkVerdictInput` instead, and stated in the descriptions.
 */
export const VERDICT_TOOL: Tool = {
  name: VERDICT_TOOL_NAME,
  description:
    'Record your verdict on the actor described in the observed data. Call it exactly once, with values drawn only from the data.',
  strict: true,
  input_schema: {
    type: 'object',
    additionalProperties: false,
    required: ['level', 'score', 'categories', 'techniques', 'confidence', 'rationale'],
    properties: {
      level: { type: 'string', enum: [...THREAT_LEVELS], description: 'Threat level.' },
      score: { type: 'integer', description: '0 (benign) to 100 (certainly hostile).' },
      categories: {
        type: 'array',
        items: { type: 'string', enum: [...THREAT_CATEGORIES] },
        description: 'One or more categories; "benign" alone when nothing is hostile.',
      },
      techniques: {
        type: 'array',
        items: { type: 'string', pattern: '^T[0-9]{4}(\\.[0-9]{3})?$' },
        description: `MITRE ATT&CK technique ids such as T1110 or T1110.001; at most ${TECHNIQUES_MAX}.`,
      },
      confidence: { type: 'number', description: '0 to 1.' },
      rationale: {
        type: 'string',
        description: `Why, in at most ${RATIONALE_MAX} characters, citing counts and signals from the data.`,
      },
    },
  },
};

export type VerdictInput = Pick<Verdict, 'level' | 'score' | 'categories' | 'techniques' | 'confidence' | 'rationale'>;
export type InputCheck = { ok: true; verdict: VerdictInput } | { ok: false; reason: string };

const KEYS = ['level', 'score', 'categories', 'techniques', 'confidence', 'rationale'];

const isLevel = (v: unknown): v is ThreatLevel => (THREAT_LEVELS as readonly unknown[]).includes(v);
const isCategory = (v: unknown): v is ThreatCategory => (THREAT_CATEGORIES as readonly unknown[]).includes(v);
const isTechnique = (v: unknown): v is string => typeof v === 'string' && ATTACK_TECHNIQUE_PATTERN.test(v);

function listOf<T>(value: unknown, ok: (v: unknown) => v is T, min: number, max: number): T[] | null {
  if (!Array.isArray(value) || value.length < min || value.length > max || !value.every(ok)) {
    return null;
  }
  return new Set(value).size === value.length ? value : null;
}

/**
 * Validates what the model put in the tool call. Anything unexpected is a failed call, never
 * a verdict: the policy only ever sees values from the fixed vocabularies and ranges.
 */
export function checkVerdictInput(input: unknown): InputCheck {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return { ok: false, reason: 'input is not an object' };
  }
  const record = input as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length !== KEYS.length || !KEYS.every((k) => keys.includes(k))) {
    return { ok: false, reason: 'input does not have exactly the schema properties' };
  }
  const { level, score, confidence, rationale } = record;
  const categories = listOf(record.categories, isCategory, 1, THREAT_CATEGORIES.length);
  const techniques = listOf(record.techniques, isTechnique, 0, TECHNIQUES_MAX);
  const problems = [
    isLevel(level) ? null : 'level',
    Number.isInteger(score) && (score as number) >= 0 && (score as number) <= 100 ? null : 'score',
    categories ? null : 'categories',
    techniques ? null : 'techniques',
    typeof confidence === 'number' && confidence >= 0 && confidence <= 1 ? null : 'confidence',
    typeof rationale === 'string' && rationale.trim() !== '' && rationale.length <= RATIONALE_MAX ? null : 'rationale',
  ].filter((p) => p !== null);
  if (problems.length > 0 || !categories || !techniques) {
    return { ok: false, reason: `invalid ${problems.join(', ')}` };
  }
  return {
    ok: true,
    verdict: {
      level: level as ThreatLevel,
      score: score as number,
      categories,
      techniques,
      confidence: confidence as number,
      rationale: stripUnsafe(rationale as string).trim(),
    },
  };
}

export function usageOf(message: Pick<Message, 'usage'>): CallUsage {
  const usage = message.usage;
  return {
    inputTokens: usage?.input_tokens ?? 0,
    outputTokens: usage?.output_tokens ?? 0,
    cacheReadTokens: usage?.cache_read_input_tokens ?? 0,
    cacheCreationTokens: usage?.cache_creation_input_tokens ?? 0,
  };
}

/**
 * The verdict in a Messages API answer: exactly one `record_verdict` call, not cut short by
 * max_tokens, with a valid input. Returns the reason when there is none.
 */
export function verdictFromMessage(
  message: Pick<Message, 'content' | 'stop_reason' | 'usage' | 'model'>,
  latencyMs: number,
): { ok: true; verdict: Verdict } | { ok: false; reason: string } {
  if (message.stop_reason === 'max_tokens') {
    return { ok: false, reason: 'the answer was truncated (max_tokens)' };
  }
  const calls = (Array.isArray(message.content) ? message.content : []).filter(
    (block) => block.type === 'tool_use' && block.name === VERDICT_TOOL_NAME,
  );
  if (calls.length !== 1 || calls[0].type !== 'tool_use') {
    return { ok: false, reason: `expected one ${VERDICT_TOOL_NAME} call, got ${calls.length}` };
  }
  const checked = checkVerdictInput(calls[0].input);
  if (!checked.ok) {
    return checked;
  }
  const usage = usageOf(message);
  return {
    ok: true,
    verdict: {
      ...checked.verdict,
      provider: 'anthropic',
      model: typeof message.model === 'string' ? message.model.slice(0, MODEL_MAX) : undefined,
      latencyMs,
      inputTokens: usage.inputTokens + usage.cacheReadTokens + usage.cacheCreationTokens,
      outputTokens: usage.outputTokens,
    },
  };
}
