import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches, MaxLength } from 'class-validator';
import { FREE_TEXT, MAX_OPERATOR, MAX_REASON, OPERATOR, UUID } from './text-rules';

/** Who changes a decision, and why: kept in the audit trail. */
export class DecisionChangeDto {
  @ApiProperty({ example: 'confirmed with the owner: a misconfigured backup job', maxLength: MAX_REASON })
  @IsString()
  @MaxLength(MAX_REASON)
  @Matches(FREE_TEXT, { message: 'reason must be non-blank text without control characters' })
  reason!: string;

  @ApiProperty({ example: 'alice', maxLength: MAX_OPERATOR, description: 'The operator making the change.' })
  @IsString()
  @MaxLength(MAX_OPERATOR)
  @Matches(OPERATOR, { message: 'by must be a non-blank name on one line' })
  by!: string;
}

export class DecisionIdParam {
  @ApiProperty({ format: 'uuid', example: '0193a4c2-7f00-7000-8000-00000000beef' })
  @Matches(UUID, { message: 'id must be a decision id (UUID)' })
  id!: string;
}
