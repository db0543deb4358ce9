import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { LIMITS, OUTCOMES } from '../../domain/event';
import { IsEventTime } from './is-event-time';

/** One event in the flat form most shippers can produce. Unknown fields are ignored. */
export class FlatEventDto {
  @ApiPropertyOptional({
    description: 'Event time: ISO 8601 (no zone = UTC) or epoch seconds/ms. Default: time received.',
    example: '2026-11-24T10:00:00Z',
  })
  @IsOptional()
  @IsEventTime()
  timestamp?: string | number;

  @ApiPropertyOptional({
    description: 'Source (actor) IP address. If absent, read from an sshd-style message.',
    example: '203.0.113.7',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  source_ip?: string;

  @ApiPropertyOptional({ example: 4242 })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(65535)
  source_port?: number;

  @ApiPropertyOptional({ example: 'ssh_login_failed', maxLength: LIMITS.eventType })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.eventType)
  event_type?: string;

  @ApiPropertyOptional({ enum: OUTCOMES })
  @IsOptional()
  @IsIn(OUTCOMES)
  outcome?: (typeof OUTCOMES)[number];

  @ApiPropertyOptional({ example: 'bastion-1', maxLength: LIMITS.host })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.host)
  host?: string;

  @ApiPropertyOptional({ example: 'root', maxLength: LIMITS.user })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.user)
  user?: string;

  @ApiPropertyOptional({
    example: 'Failed password for root from 203.0.113.7 port 4242 ssh2',
    maxLength: LIMITS.message,
  })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.message)
  message?: string;

  @ApiPropertyOptional({ example: '/login?next=%2F', maxLength: LIMITS.url })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.url)
  url?: string;

  @ApiPropertyOptional({ example: 'GET' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  http_method?: string;

  @ApiPropertyOptional({ example: 404 })
  @IsOptional()
  @IsInt()
  @Min(100)
  @Max(599)
  http_status?: number;

  @ApiPropertyOptional({ example: 'Mozilla/5.0', maxLength: LIMITS.userAgent })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.userAgent)
  user_agent?: string;
}
