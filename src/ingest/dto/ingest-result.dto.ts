import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DecisionViewDto } from '../../decision/dto/decision-view.dto';
import { VerdictViewDto } from '../../llm/dto/verdict-view.dto';
import { SIGNALS } from '../signals/signal';

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
  @ApiPropertyOptional({ example: 4, description: '1-based line number (NDJSON only).' }) line?: number;
  @ApiProperty({ example: 'source_ip is not a valid IP address' }) reason!: string;
}

export class ActorDecisionDto {
  @ApiProperty({ example: '203.0.113.7' }) actor!: string;
  @ApiProperty({ type: VerdictViewDto }) verdict!: VerdictViewDto;
  @ApiProperty({ type: DecisionViewDto, nullable: true }) decision!: DecisionViewDto | null;
}

export class BatchResultDto {
  @ApiProperty({ example: 9 }) accepted!: number;
  @ApiProperty({ example: 1 }) rejected!: number;
  @ApiProperty({ type: [RecordErrorDto] }) errors!: RecordErrorDto[];
  @ApiProperty({ type: [ActorDecisionDto], description: 'Every actor in the batch with a decision in force.' })
  decisions!: ActorDecisionDto[];
}
