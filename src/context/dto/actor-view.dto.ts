import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DecisionViewDto } from '../../decision/dto/decision-view.dto';
import { VerdictViewDto } from '../../llm/dto/verdict-view.dto';

export class ActorProfileDto {
  @ApiProperty({ example: '203.0.113.7' }) ip!: string;
  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' }) firstSeen!: string;
  @ApiProperty({ example: '2026-11-24T10:04:00.000Z' }) lastSeen!: string;
  @ApiProperty({ example: 6 }) eventCount!: number;
  @ApiProperty({ example: 6 }) failureCount!: number;
  @ApiProperty({ example: { auth_failure: 6 } }) signalCounts!: Record<string, number>;
  @ApiProperty({ example: 2 }) distinctUsers!: number;
  @ApiProperty({ example: 0 }) distinctPaths!: number;
  @ApiProperty({ example: 1, description: 'Blocks earned so far; each one lengthens the next.' }) offenceCount!: number;
}

export class StoredEventDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() eventTime!: string;
  @ApiProperty() receivedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) eventType!: string | null;
  @ApiProperty({ enum: ['success', 'failure', 'unknown'] }) outcome!: string;
  @ApiProperty({ type: [String] }) signals!: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) host!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) user!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) message!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) url!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) userAgent!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'The raw line or ECS event.original.' })
  original!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Name of the ingest token it came with (SOC_INGEST_TOKENS; "default" for SOC_INGEST_TOKEN).',
  })
  ingestSource!: string | null;
}

export class ActorViewDto {
  @ApiProperty({ type: ActorProfileDto }) profile!: ActorProfileDto;
  @ApiProperty({ description: 'Plain-prose summary built from sanitised features (what the LLM sees).' })
  summary!: string;
  @ApiProperty({ type: DecisionViewDto, nullable: true, description: 'The most severe decision in force.' })
  decision!: DecisionViewDto | null;
  @ApiProperty({ type: [DecisionViewDto], description: 'Latest decisions, newest first, including expired ones.' })
  decisions!: DecisionViewDto[];
  @ApiProperty({ type: [VerdictViewDto], description: 'Latest verdicts, newest first.' }) verdicts!: VerdictViewDto[];
  @ApiProperty({ type: [StoredEventDto], description: 'Latest events, newest first (as received: untrusted text).' })
  recentEvents!: StoredEventDto[];
}
