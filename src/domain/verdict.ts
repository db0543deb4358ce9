export const THREAT_LEVELS = ['none', 'low', 'medium', 'high', 'critical'] as const;
export type ThreatLevel = (typeof THREAT_LEVELS)[number];

export const THREAT_CATEGORIES = [
  'brute_force',
  'credential_stuffing',
  'web_exploit',
  'injection',
  'reconnaissance',
  'scanning',
  'remote_code_execution',
  'benign',
] as const;
export type ThreatCategory = (typeof THREAT_CATEGORIES)[number];

/** MITRE ATT&CK technique id, e.g. T1110 or T1110.001. */
export const ATTACK_TECHNIQUE_PATTERN = /^T\d{4}(?:\.\d{3})?$/;

/** A judgement about one actor, from the heuristic or from Claude. */
export interface Verdict {
  level: ThreatLevel;
  /** 0 (benign) to 100 (certainly hostile). */
  score: number;
  categories: ThreatCategory[];
  techniques: string[];
  /** 0 to 1. */
  confidence: number;
  rationale: string;
  provider: 'heuristic' | 'anthropic';
  model?: string;
  latencyMs?: number;
  inputTokens?: number;
  outputTokens?: number;
}

/** A verdict as stored and served. */
export interface StoredVerdict extends Verdict {
  id: string;
  actorIp: string;
  createdAt: Date;
}
