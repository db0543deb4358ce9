import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { StoredDecision } from '../../domain/decision';

export class DecisionViewDto {
  @ApiProperty({ format: 'uuid', example: '0193a1b2-7c4e-7d2a-9f10-3b5c8e2d4a61' }) id!: string;
  @ApiProperty({ enum: ['ip', 'range', 'hostname', 'local'], example: 'ip' }) scope!: string;
  @ApiProperty({ example: '203.0.113.7' }) value!: string;
  @ApiProperty({ enum: ['block', 'alert', 'monitor', 'allow'], example: 'block' }) action!: string;
  @ApiProperty({ enum: ['policy', 'manual', 'llm'], example: 'policy' }) origin!: string;
  @ApiProperty({ enum: ['active', 'pending', 'simulated', 'rejected'], example: 'active' }) status!: string;
  @ApiProperty({ example: 'policy', description: 'Who or what made it.' }) createdBy!: string;
  @ApiProperty({ example: 'ssh-brute-force' }) ruleId!: string;
  @ApiProperty({ example: '5 or more authentication failures within 10 minutes' }) reason!: string;
  @ApiProperty({ example: '2026-11-24T10:04:00.000Z' }) createdAt!: string;
  @ApiProperty({ example: '2026-11-24T10:14:00.000Z' }) expiresAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: null }) revokedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: null }) revokeReason!: string | null;

  static from(decision: StoredDecision): DecisionViewDto {
    return {
      id: decision.id,
      scope: decision.scope,
      value: decision.value,
      action: decision.action,
      origin: decision.origin,
      status: decision.status,
      createdBy: decision.createdBy,
      ruleId: decision.ruleId,
      reason: decision.reason,
      createdAt: decision.createdAt.toISOString(),
      expiresAt: decision.expiresAt.toISOString(),
      revokedAt: decision.revokedAt?.toISOString() ?? null,
      revokeReason: decision.revokeReason,
    };
  }
}
