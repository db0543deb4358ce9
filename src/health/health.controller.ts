import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { FastifyReply } from 'fastify';
import { RequiresCredential } from '../common/auth/credential.decorator';
import { StorageReadiness } from './storage-readiness';

const READY_EXAMPLE = { status: 'ok', database: 'up', storage: 'writable' };
const NOT_READY_EXAMPLE = {
  status: 'unavailable',
  database: 'up',
  storage: 'unavailable',
  cause: 'ENOSPC',
  reason: "ENOSPC: 0 B free of 2.0 MiB on the database's file system",
  since: '2026-12-06T04:00:00.000Z',
};

@ApiTags('health')
@RequiresCredential('public')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: StorageReadiness) {}

  @Get()
  @ApiOperation({
    summary: 'Readiness: the database answers and takes writes',
    description:
      'Same as `/health/ready`. 503 while the database does not answer, or while the disk is full or the database ' +
      'read-only (`cause`, `reason`, `since`); it is ready again as soon as a write commits, without a restart. ' +
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

  private async answer(reply: FastifyReply): Promise<void> {
    const readiness = await this.readiness.check();
    await reply.status(readiness.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).send(readiness);
  }
}
