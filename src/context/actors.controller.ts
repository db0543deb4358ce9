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
import { canonicalIp } from '../domain/ip';
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

  @Get(':ip')
  @ApiOperation({
    summary: 'What is remembered about one address',
    description:
      'Any form of the address works (e.g. `::ffff:203.0.113.7` finds 203.0.113.7). Example: `GET /actors/203.0.113.7`',
  })
  @ApiParam({ name: 'ip', example: '203.0.113.7' })
  @ApiOkResponse({ type: ActorViewDto })
  @ApiBadRequestResponse({ description: 'Not an IP address.' })
  @ApiNotFoundResponse({ description: 'Never seen.' })
  async show(@Param('ip') raw: string): Promise<ActorViewDto> {
    const ip = canonicalIp(raw);
    if (ip === null) {
      throw new BadRequestException('not a valid IP address');
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
