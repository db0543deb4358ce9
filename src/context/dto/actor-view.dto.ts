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

export class SignalMatchDto {
  @ApiProperty({ example: 'sql_injection' }) signal!: string;
  @ApiProperty({ example: 'web-sqli-boolean-bare' }) ruleId!: string;
  @ApiProperty({ example: 'cs-uri-query' }) field!: string;
  @ApiProperty({ example: ' and 1400=6208' }) matched!: string;
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
  @ApiProperty({
    type: [SignalMatchDto],
    description:
      'Why each signal was raised: the rule that fired and the text it matched (untrusted, at most 200 characters).',
  })
  matches!: SignalMatchDto[];
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
