import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { LIMITS, OUTCOMES } from '../../domain/event';
import { IsEventTime } from './is-event-time';

export class EcsEndpointDto {
  @ApiPropertyOptional({ example: '203.0.113.7' }) @IsOptional() @IsString() @MaxLength(64) ip?: string;
  @ApiPropertyOptional({ example: '203.0.113.7' }) @IsOptional() @IsString() @MaxLength(256) address?: string;
  @ApiPropertyOptional({ example: 4242 }) @IsOptional() @IsInt() @Min(0) @Max(65535) port?: number;
}

export class EcsEventFieldsDto {
  @ApiPropertyOptional({ example: 'ssh_login' }) @IsOptional() @IsString() @MaxLength(LIMITS.eventType) action?: string;
  @ApiPropertyOptional({ enum: OUTCOMES }) @IsOptional() @IsIn(OUTCOMES) outcome?: (typeof OUTCOMES)[number];
  @ApiPropertyOptional({ description: 'The raw event; stored locally, never sent anywhere.' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.message)
  original?: string;
}

export class EcsHostDto {
  @ApiPropertyOptional({ example: 'bastion-1' }) @IsOptional() @IsString() @MaxLength(LIMITS.host) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LIMITS.host) hostname?: string;
}

export class EcsUserDto {
  @ApiPropertyOptional({ example: 'root' }) @IsOptional() @IsString() @MaxLength(LIMITS.user) name?: string;
}

export class EcsUrlDto {
  @ApiPropertyOptional({ example: '/search?q=1%27%20OR%201%3D1--' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.url)
  original?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LIMITS.url) path?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(LIMITS.url) query?: string;
}

export class EcsHttpRequestDto {
  @ApiPropertyOptional({ example: 'GET' }) @IsOptional() @IsString() @MaxLength(16) method?: string;
}

export class EcsHttpResponseDto {
  @ApiPropertyOptional({ example: 403 }) @IsOptional() @IsInt() @Min(100) @Max(599) status_code?: number;
}

export class EcsHttpDto {
  @ApiPropertyOptional({ type: EcsHttpRequestDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EcsHttpRequestDto)
  request?: EcsHttpRequestDto;
  @ApiPropertyOptional({ type: EcsHttpResponseDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EcsHttpResponseDto)
  response?: EcsHttpResponseDto;
}

export class EcsUserAgentDto {
  @ApiPropertyOptional({ example: 'sqlmap/1.7' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.userAgent)
  original?: string;
}

/**
 * One event in Elastic Common Schema form (nested objects, or dotted keys such as
 * "source.ip", which are expanded first). Unknown fields are ignored.
 */
export class EcsEventDto {
  @ApiProperty({
    description: 'Event time, ISO 8601 or epoch seconds/ms.',
    example: '2026-11-24T10:00:00Z',
    required: false,
  })
  @IsOptional()
  @IsEventTime()
  '@timestamp'?: string | number;

  @ApiPropertyOptional({ type: EcsEndpointDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EcsEndpointDto)
  source?: EcsEndpointDto;

  @ApiPropertyOptional({ type: EcsEndpointDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EcsEndpointDto)
  client?: EcsEndpointDto;

  @ApiPropertyOptional({ type: EcsEventFieldsDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EcsEventFieldsDto)
  event?: EcsEventFieldsDto;

  @ApiPropertyOptional({ type: EcsHostDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EcsHostDto)
  host?: EcsHostDto;

  @ApiPropertyOptional({ type: EcsUserDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EcsUserDto)
  user?: EcsUserDto;

  @ApiPropertyOptional({ type: EcsUrlDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EcsUrlDto)
  url?: EcsUrlDto;

  @ApiPropertyOptional({ type: EcsHttpDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EcsHttpDto)
  http?: EcsHttpDto;

  @ApiPropertyOptional({ type: EcsUserAgentDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => EcsUserAgentDto)
  user_agent?: EcsUserAgentDto;

  @ApiPropertyOptional({ example: 'Failed password for root from 203.0.113.7 port 4242 ssh2' })
  @IsOptional()
  @IsString()
  @MaxLength(LIMITS.message)
  message?: string;
}
