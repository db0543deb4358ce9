import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { DecisionViewDto } from '../../common/dto/decision-view.dto';
import { VerdictViewDto } from '../../common/dto/verdict-view.dto';

export class ActorProfileDto {
  @ApiProperty({ example: '203.0.113.7', description: 'The actor key: an address, a host name, or `user@host`.' })
  ip!: string;
  @ApiProperty({ enum: ['ip', 'range', 'hostname', 'local'], example: 'ip' }) scope!: string;
  @ApiProperty({ example: '2026-11-24T10:00:00.000Z' }) firstSeen!: string;
  @ApiProperty({ example: '2026-11-24T10:04:00.000Z' }) lastSeen!: string;
  @ApiProperty({ example: 6 }) eventCount!: number;
  @ApiProperty({ example: 6 }) failureCount!: number;
  @ApiProperty({
    example: { auth_failure: 6 },
    description: 'Per signal, how many events raised it; for auth_failure, how many failed authentication attempts.',
  })
  signalCounts!: Record<string, number>;
  @ApiProperty({
    example: 6,
    description:
      'Failed authentication attempts: the lines of one attempt (Invalid user, PAM, Failed password, disconnect) count once.',
  })
  authAttempts!: number;
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
  @ApiProperty({ format: 'uuid', example: '0193a1b2-7c4d-7a11-8e42-5d6f7a8b9c0d' }) id!: string;
  @ApiProperty({ example: '2026-11-24T10:03:00.000Z' }) eventTime!: string;
  @ApiProperty({ example: '2026-11-24T10:03:00.412Z' }) receivedAt!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'ssh_failed_password' }) eventType!: string | null;
  @ApiProperty({ enum: ['success', 'failure', 'unknown'] }) outcome!: string;
  @ApiProperty({ type: [String], example: ['auth_failure'] }) signals!: string[];
  @ApiPropertyOptional({ nullable: true, type: String, example: 'bastion-1' }) host!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'root' }) user!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'Failed password for root from 203.0.113.7 port 4242 ssh2',
  })
  message!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: null }) url!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: null }) userAgent!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'The raw line or ECS event.original.',
    example: 'Nov 24 10:03:00 bastion-1 sshd[811]: Failed password for root from 203.0.113.7 port 4242 ssh2',
  })
  original!: string | null;
  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Name of the ingest token it came with (SOC_INGEST_TOKENS; "default" for SOC_INGEST_TOKEN).',
    example: 'siem',
  })
  ingestSource!: string | null;
  @ApiProperty({
    type: [SignalMatchDto],
    description:
      'Why each signal was raised: the rule that fired and the text it matched (untrusted, at most 200 characters).',
  })
  matches!: SignalMatchDto[];
}

export class ActorViewDto {
  @ApiProperty({ type: ActorProfileDto }) profile!: ActorProfileDto;
  @ApiProperty({
    description: 'Plain-prose summary built from sanitised features (what the LLM sees).',
    example: '203.0.113.7 made 12 failed SSH logins in 4 minutes against 1 host, trying 9 distinct user names.',
  })
  summary!: string;
  @ApiProperty({ type: DecisionViewDto, nullable: true, description: 'The most severe decision in force.' })
  decision!: DecisionViewDto | null;
  @ApiProperty({ type: [DecisionViewDto], description: 'Latest decisions, newest first, including expired ones.' })
  decisions!: DecisionViewDto[];
  @ApiProperty({ type: [VerdictViewDto], description: 'Latest verdicts, newest first.' }) verdicts!: VerdictViewDto[];
  @ApiProperty({ type: [StoredEventDto], description: 'Latest events, newest first (as received: untrusted text).' })
  recentEvents!: StoredEventDto[];
}
