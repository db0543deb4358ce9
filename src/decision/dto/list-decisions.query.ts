import { PageQuery } from '../../common/dto/page.query';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_IP_TEXT_LENGTH } from '../../domain/ip';
import { DecisionAction, DecisionOrigin, DecisionScope, DecisionStatus } from '../../domain/decision';
import { DecisionViewDto } from '../../common/dto/decision-view.dto';
import { ApiProperty } from '@nestjs/swagger';

export const DECISION_ACTIONS: readonly DecisionAction[] = ['block', 'alert', 'monitor', 'allow'];
export const DECISION_SCOPES: readonly DecisionScope[] = ['ip', 'range', 'hostname', 'local'];
export const DECISION_ORIGINS: readonly DecisionOrigin[] = ['policy', 'manual', 'llm'];
export const DECISION_STATUSES: readonly DecisionStatus[] = ['active', 'pending', 'simulated', 'rejected'];

export class ListDecisionsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DECISION_ACTIONS }) @IsOptional() @IsIn(DECISION_ACTIONS) action?: DecisionAction;

  @ApiPropertyOptional({
    type: Boolean,
    default: true,
    example: true,
    description: 'true: only unexpired, unrevoked decisions; false: expired and revoked ones too.',
  })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'active must be true or false' })
  active = true;

  @ApiPropertyOptional({ enum: DECISION_STATUSES, default: 'active' })
  @IsOptional()
  @IsIn(DECISION_STATUSES)
  status: DecisionStatus = 'active';

  @ApiPropertyOptional({ enum: DECISION_SCOPES }) @IsOptional() @IsIn(DECISION_SCOPES) scope?: DecisionScope;

  @ApiPropertyOptional({ enum: DECISION_ORIGINS }) @IsOptional() @IsIn(DECISION_ORIGINS) origin?: DecisionOrigin;

  @ApiPropertyOptional({
    example: '203.0.113.7',
    description: 'Decisions on exactly this address (any spelling: `::ffff:203.0.113.7` finds it) or CIDR.',
  })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_IP_TEXT_LENGTH + 4)
  value?: string;
}

export class DecisionListDto {
  @ApiProperty({ example: 1 }) total!: number;
  @ApiProperty({ type: [DecisionViewDto] }) items!: DecisionViewDto[];
}
