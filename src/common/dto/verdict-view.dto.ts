import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { THREAT_CATEGORIES, THREAT_LEVELS, Verdict } from '../../domain/verdict';

export class VerdictViewDto {
  @ApiProperty({ enum: THREAT_LEVELS, example: 'high' }) level!: string;
  @ApiProperty({ minimum: 0, maximum: 100, example: 85 }) score!: number;
  @ApiProperty({ enum: THREAT_CATEGORIES, isArray: true, example: ['brute_force'] }) categories!: string[];
  @ApiProperty({ type: [String], example: ['T1110', 'T1110.001'] }) techniques!: string[];
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.75 }) confidence!: number;
  @ApiProperty({ example: '5 failed authentication attempt(s) in the window across 1 user name(s).' })
  rationale!: string;
  @ApiProperty({ enum: ['heuristic', 'anthropic'] }) provider!: string;
  @ApiPropertyOptional({ example: 'claude-haiku-5-5' }) model?: string;
  @ApiPropertyOptional({ description: 'Latency of the API call that produced it (LLM verdicts).', example: 840 })
  latencyMs?: number;
  @ApiPropertyOptional({ description: 'Input tokens billed, cached ones included (LLM verdicts).', example: 1650 })
  inputTokens?: number;
  @ApiPropertyOptional({ description: 'Output tokens billed (LLM verdicts).', example: 120 }) outputTokens?: number;
  @ApiPropertyOptional({ format: 'date-time', example: '2026-11-24T10:03:00.000Z' }) createdAt?: string;

  static from(verdict: Verdict & { createdAt?: Date }): VerdictViewDto {
    return {
      level: verdict.level,
      score: verdict.score,
      categories: verdict.categories,
      techniques: verdict.techniques,
      confidence: verdict.confidence,
      rationale: verdict.rationale,
      provider: verdict.provider,
      model: verdict.model,
      latencyMs: verdict.latencyMs,
      inputTokens: verdict.inputTokens,
      outputTokens: verdict.outputTokens,
      createdAt: verdict.createdAt?.toISOString(),
    };
  }
}
