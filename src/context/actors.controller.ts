import { Controller, Get, NotFoundException, Param, BadRequestException } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { RequiresCredential } from '../common/auth/credential.decorator';
import { actorKeyFrom, actorScope } from '../common/actor-key';
import { DecisionViewDto } from '../common/dto/decision-view.dto';
import { VerdictViewDto } from '../common/dto/verdict-view.dto';
import { MemoryService } from '../memory/memory.service';
import { ContextService } from './context.service';
import { ActorViewDto } from './dto/actor-view.dto';

@ApiTags('actors')
@ApiSecurity('admin-token')
@RequiresCredential('admin')
@SkipThrottle()
@Controller('actors')
export class ActorsController {
  constructor(
    private readonly memory: MemoryService,
    private readonly context: ContextService,
  ) {}

  @Get(':key')
  @ApiOperation({
    summary: 'What is remembered about one actor',
    description:
      'An address in any form (e.g. `::ffff:203.0.113.7` finds 203.0.113.7), a host name (an actor of scope `hostname`: ' +
      'a log named the client by name, e.g. PAM `rhost=`) or a local actor `user@host` (scope `local`: sudo, su). ' +
      'Example: `GET /actors/203.0.113.7`',
  })
  @ApiParam({ name: 'key', example: '203.0.113.7' })
  @ApiOkResponse({ type: ActorViewDto })
  @ApiBadRequestResponse({ description: 'Not an IP address, a host name or a local actor.' })
  @ApiNotFoundResponse({ description: 'Never seen.' })
  async show(@Param('key') raw: string): Promise<ActorViewDto> {
    const ip = actorKeyFrom(raw);
    if (ip === null) {
      throw new BadRequestException('not a valid IP address, host name or local actor (user@host)');
    }
    const actor = await this.memory.getActor(ip);
    if (actor === null) {
      throw new NotFoundException(`no events from ${ip}`);
    }
    const [events, verdicts, decisions] = await Promise.all([
      this.memory.recentEvents(ip, 50),
      this.memory.verdictsFor(ip, 20),
      this.memory.decisionsFor(ip, 50),
    ]);
    const inForce = this.memory.inForce(decisions, new Date());
    const context = await this.context.withHistory(actor, inForce);
    return {
      profile: {
        ip,
        scope: actorScope(ip),
        firstSeen: actor.firstSeen.toISOString(),
        lastSeen: actor.lastSeen.toISOString(),
        eventCount: actor.eventCount,
        failureCount: actor.failureCount,
        signalCounts: actor.signalCounts,
        authAttempts: actor.signalCounts.auth_failure ?? 0,
        distinctUsers: actor.userHashes.length,
        distinctPaths: actor.pathHashes.length,
        offenceCount: actor.offenceCount,
      },
      summary: context.summary,
      decision: inForce === null ? null : DecisionViewDto.from(inForce),
      decisions: decisions.map((d) => DecisionViewDto.from(d)),
      verdicts: verdicts.map((v) => VerdictViewDto.from(v)),
      recentEvents: events.map((event) => ({
        ...event,
        eventTime: event.eventTime.toISOString(),
        receivedAt: event.receivedAt.toISOString(),
      })),
    };
  }
}
