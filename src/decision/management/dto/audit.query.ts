import { PageQuery } from '../../../common/dto/page.query';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { MAX_IP_TEXT_LENGTH } from '../../../domain/ip';
import { AuditEntry } from '../../../memory/enforcement-records';
import { MAX_OPERATOR, UUID } from './text-rules';

export class AuditQueryDto extends PageQuery {
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'One decision.',
    example: '0193a1b2-7c4e-7d2a-9f10-3b5c8e2d4a61',
  })
  @IsOptional()
  @Matches(UUID, { message: 'decisionId must be a decision id (UUID)' })
  decisionId?: string;

  @ApiPropertyOptional({ example: '203.0.113.7', description: 'Decisions on this address (any spelling) or CIDR.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_IP_TEXT_LENGTH + 4)
  value?: string;

  @ApiPropertyOptional({ example: 'alice', description: 'Who made the change: an operator, `policy`, `llm:<model>`.' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_OPERATOR)
  who?: string;

  @ApiPropertyOptional({ example: '2026-11-24T00:00:00Z', description: 'Changes at or after (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;

  @ApiPropertyOptional({ example: '2026-11-25T00:00:00Z', description: 'Changes before (ISO 8601).' })
  @IsOptional()
  @IsISO8601({ strict: true })
  until?: string;
}

class AuditedDecisionDto {
  @ApiProperty({ enum: ['ip', 'range'], example: 'ip' }) scope!: string;
  @ApiProperty({ example: '203.0.113.7' }) value!: string;
  @ApiProperty({ enum: ['block', 'alert', 'monitor', 'allow'], example: 'block' }) action!: string;
  @ApiProperty({ enum: ['policy', 'manual', 'llm'], example: 'policy' }) origin!: string;
  @ApiProperty({ enum: ['active', 'pending', 'simulated', 'rejected'], example: 'active' }) status!: string;
  @ApiProperty({ example: 'ssh-brute-force' }) ruleId!: string;
}

export class AuditEntryDto {
  @ApiProperty({ format: 'uuid', example: '0193a1b2-7c4f-7b3c-8a21-1f2e3d4c5b6a' }) id!: string;
  @ApiProperty({ format: 'uuid', example: '0193a1b2-7c4e-7d2a-9f10-3b5c8e2d4a61' }) decisionId!: string;
  @ApiProperty({ example: '2026-11-24T10:20:00.000Z' }) at!: string;
  @ApiProperty({ example: 'alice' }) who!: string;
  @ApiProperty({ enum: ['created', 'revoked', 'approved', 'rejected'], example: 'revoked' }) change!: string;
  @ApiProperty({ example: 'confirmed with the owner: a misconfigured backup job' }) reason!: string;
  @ApiPropertyOptional({ type: AuditedDecisionDto, nullable: true }) decision!: AuditedDecisionDto | null;

  static from(entry: AuditEntry): AuditEntryDto {
    return { ...entry, at: entry.at.toISOString() };
  }
}

export class AuditListDto {
  @ApiProperty({ example: 1 }) total!: number;
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
}
