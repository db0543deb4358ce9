import { Controller, Get, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import {
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorFunction,
  TypeOrmHealthIndicator,
} from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { FastifyReply } from 'fastify';
import { RequiresCredential } from '../common/auth/credential.decorator';
import { readinessOf } from './readiness';
import { RedisReadiness } from './redis-readiness';
import { StorageReadiness } from './storage-readiness';

/** A database that takes longer than this to answer `SELECT 1` is down. */
const DATABASE_PING_TIMEOUT_MS = 1500;

const READY_EXAMPLE = { status: 'ok', database: 'up', storage: 'writable' };
const NOT_READY_EXAMPLE = {
  status: 'unavailable',
  database: 'up',
  storage: 'unavailable',
  cause: 'ENOSPC',
  reason: "ENOSPC: 0 B free of 2.0 MiB on the database's file system",
  since: '2026-12-06T04:00:00.000Z',
  failed: ['storage'],
};

@ApiTags('health')
@RequiresCredential('public')
@SkipThrottle()
@Controller('health')
export class HealthController {
  private readonly checks: HealthIndicatorFunction[];

  constructor(
    private readonly health: HealthCheckService,
    database: TypeOrmHealthIndicator,
    storage: StorageReadiness,
    redis: RedisReadiness,
  ) {
    this.checks = [
      () => database.pingCheck('database', { timeout: DATABASE_PING_TIMEOUT_MS }),
      () => storage.isWritable(),
      ...(redis.configured ? [() => redis.answersPing()] : []),
    ];
  }

  @Get()
  @ApiOperation({
    summary: 'Readiness: the database answers and takes writes',
    description:
      'Same as `/health/ready`. 503 while the database does not answer, or while the disk is full or the database ' +
      'read-only (`cause`, `reason`, `since`), or (with REDIS_URL) while Redis does not answer; `failed` names the ' +
      'checks that failed. It is ready again as soon as they pass, without a restart. ' +
      'No credential. Example: `GET /health` → `{"status":"ok","database":"up","storage":"writable"}`',
  })
  @ApiOkResponse({ schema: { example: READY_EXAMPLE } })
  @ApiServiceUnavailableResponse({ schema: { example: NOT_READY_EXAMPLE } })
  check(@Res() reply: FastifyReply): Promise<void> {
    return this.answer(reply);
  }

  @Get('ready')
  @ApiOperation({
    summary: 'Readiness (see `/health`)',
    description: 'No credential. Example: `GET /health/ready` → `{"status":"ok","database":"up","storage":"writable"}`',
  })
  @ApiOkResponse({ schema: { example: READY_EXAMPLE } })
  @ApiServiceUnavailableResponse({ schema: { example: NOT_READY_EXAMPLE } })
  ready(@Res() reply: FastifyReply): Promise<void> {
    return this.answer(reply);
  }

  @Get('live')
  @ApiOperation({
    summary: 'Liveness: the process answers',
    description:
      'Always 200 while the process serves requests, even when storage is unavailable: restarting would not help. ' +
      'No credential. Example: `GET /health/live` → `{"status":"ok"}`',
  })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Terminus runs the checks together and throws 503 with every result when one fails. */
  private async answer(reply: FastifyReply): Promise<void> {
    let result: HealthCheckResult;
    try {
      result = await this.health.check(this.checks);
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) {
        throw error;
      }
      result = error.getResponse() as HealthCheckResult;
    }
    const readiness = readinessOf(result);
    await reply.status(readiness.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send(readiness);
  }
}
