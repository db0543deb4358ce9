import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { THREAT_CATEGORIES, THREAT_LEVELS, Verdict } from '../verdict';

export class VerdictViewDto {
  @ApiProperty({ enum: THREAT_LEVELS, example: 'high' }) level!: string;
  @ApiProperty({ minimum: 0, maximum: 100, example: 85 }) score!: number;
  @ApiProperty({ enum: THREAT_CATEGORIES, isArray: true, example: ['brute_force'] }) categories!: string[];
  @ApiProperty({ type: [String], example: ['T1110', 'T1110.001'] }) techniques!: string[];
  @ApiProperty({ minimum: 0, maximum: 1, example: 0.75 }) confidence!: number;
  @ApiProperty({ example: '5 authentication failure(s) in the window across 1 user name(s).' }) rationale!: string;
  @ApiProperty({ enum: ['heuristic', 'anthropic'] }) provider!: string;
  @ApiPropertyOptional() model?: string;
  @ApiPropertyOptional({ format: 'date-time' }) createdAt?: string;

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
      createdAt: verdict.createdAt?.toISOString(),
    };
  }
}
