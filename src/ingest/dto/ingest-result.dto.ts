import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DecisionViewDto } from '../../common/dto/decision-view.dto';
import { VerdictViewDto } from '../../common/dto/verdict-view.dto';
import { ItemStatus } from '../../domain/item-outcome';
import { SIGNALS } from '../../domain/signal';

export class IngestAcceptedDto {
  @ApiProperty({
    format: 'uuid',
    description: 'Id of the stored event.',
    example: '0193a1b2-7c4d-7a11-8e42-5d6f7a8b9c0d',
  })
  id!: string;
  @ApiProperty({ example: '203.0.113.7', description: 'Canonical actor address.' }) actor!: string;
  @ApiProperty({ enum: SIGNALS, isArray: true, example: ['auth_failure'] }) signals!: string[];
  @ApiProperty({ type: VerdictViewDto }) verdict!: VerdictViewDto;
  @ApiProperty({
    type: DecisionViewDto,
    nullable: true,
    description: 'The most severe decision in force for the actor.',
  })
  decision!: DecisionViewDto | null;
}

export class RecordErrorDto {
  @ApiProperty({ example: 3, description: '0-based position of the record in the batch.' }) index!: number;
  @ApiPropertyOptional({ example: 4, description: '1-based line number (NDJSON and raw lines).' }) line?: number;
  @ApiProperty({ example: 'source_ip is not a valid IP address' }) reason!: string;
  @ApiPropertyOptional({
    enum: ['unparsed', 'rejected'],
    description: 'unparsed: names no actor (no address) or no known format; rejected: an invalid value.',
  })
  status?: 'unparsed' | 'rejected';
}

export class ItemResultDto {
  @ApiProperty({ example: 0, description: '0-based position of the item (blank lines are not items).' })
  index!: number;
  @ApiPropertyOptional({ example: 1, description: '1-based line number (NDJSON and raw lines).' }) line?: number;
  @ApiProperty({
    enum: ['accepted', 'unparsed', 'rejected'],
    description:
      'accepted: stored; unparsed: acknowledged, not stored (no actor, or no known format); rejected: acknowledged, not stored (an invalid value).',
  })
  status!: ItemStatus;
  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Id of the stored event (accepted only).',
    example: '0193a1b2-7c4d-7a11-8e42-5d6f7a8b9c0d',
  })
  id?: string;
  @ApiPropertyOptional({ example: '203.0.113.7', description: 'Canonical actor (accepted only).' }) actor?: string;
  @ApiPropertyOptional({
    example: 'no usable source address: the line has no address field and no sshd message naming one',
    description: 'Why the item was not stored (unparsed and rejected only).',
  })
  reason?: string;
}

export class ActorDecisionDto {
  @ApiProperty({ example: '203.0.113.7' }) actor!: string;
  @ApiProperty({ type: VerdictViewDto }) verdict!: VerdictViewDto;
  @ApiProperty({ type: DecisionViewDto, nullable: true }) decision!: DecisionViewDto | null;
}

export class BatchResultDto {
  @ApiProperty({ example: 9, description: 'Items stored.' }) accepted!: number;
  @ApiProperty({ example: 1, description: 'Items naming no actor or in no known format (not stored).' })
  unparsed!: number;
  @ApiProperty({ example: 1, description: 'Items with an invalid value (not stored).' }) rejected!: number;
  @ApiProperty({ type: [RecordErrorDto], description: 'Every item not stored, with its reason.' })
  errors!: RecordErrorDto[];
  @ApiProperty({ type: [ItemResultDto], description: 'One result per item, in order.' }) results!: ItemResultDto[];
  @ApiProperty({ type: [ActorDecisionDto], description: 'Every actor in the batch with a decision in force.' })
  decisions!: ActorDecisionDto[];
}
