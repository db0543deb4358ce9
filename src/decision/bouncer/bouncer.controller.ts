import { BadRequestException, Controller, Get, Head, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { BouncerKeyHash } from '../../common/auth/bouncer-key';
import { RequiresCredential } from '../../common/auth/credential.decorator';
import { BouncerMetrics } from '../../metrics/bouncer-metrics';
import { BouncerService, StreamBody } from './bouncer.service';
import { LapiDecisionDto, StreamBodyDto } from './dto/lapi-decision.dto';
import { LapiDecision } from './lapi-decision';
import { LapiFilter, LapiFilterError, LapiQuery, parseLapiFilter } from './lapi-filter';

const STREAM_SCOPES = 'ip,range';

/** A bad filter, answered the way CrowdSec shapes its errors: `{"message": …}`. */
function filterOf(query: LapiQuery, defaults: { scopes?: string } = {}): LapiFilter {
  try {
    return parseLapiFilter(query, defaults);
  } catch (error) {
    if (error instanceof LapiFilterError) {
      throw new BadRequestException({ message: error.message });
    }
    throw error;
  }
}

const FILTERS = [
  {
    name: 'scopes',
    example: 'ip,range',
    description: 'Comma list, any case (`Ip`, `Range`). Stream default: ip,range.',
  },
  {
    name: 'origins',
    example: 'soc-triage,cscli',
    description: 'Comma list: soc-triage (policy), soc-triage-llm, cscli (manual).',
  },
  { name: 'scenarios_containing', example: 'ssh', description: 'Comma list of words; any case.' },
  { name: 'scenarios_not_containing', example: 'manual', description: 'Comma list of words; any case.' },
] as const;

/**
 * CrowdSec Local API compatibility for bouncers (firewall, nginx, custom…): point a bouncer's
 * `api_url` at this service and give it one of BOUNCER_API_KEYS. Only bans are published
 * (alerts and monitors are not), never one covered by a manual allow in force.
 */
@ApiTags('crowdsec-lapi')
@ApiHeader({
  name: 'X-Api-Key',
  required: true,
  description: 'One of BOUNCER_API_KEYS (the key only, without a `name:` prefix).',
  example: 'a-key-from-BOUNCER_API_KEYS',
})
@ApiForbiddenResponse({ description: 'No key, a wrong key, or no key configured: `{"message":"access forbidden"}`.' })
@RequiresCredential('bouncer')
@SkipThrottle()
@Controller('v1/decisions')
export class BouncerController {
  constructor(
    private readonly bouncers: BouncerService,
    private readonly metrics: BouncerMetrics,
  ) {}

  // HEAD routes are declared before their GET: fastify would otherwise answer HEAD with the GET
  // handler, and a HEAD of the stream must not move the key's cursor (as in CrowdSec).
  @Head('stream')
  @ApiOperation({
    summary: 'Check the key (the cursor does not move)',
    description: 'Example: `HEAD /v1/decisions/stream` with `X-Api-Key` → 200 and no body (403 for a wrong key).',
  })
  @ApiOkResponse({ description: 'The key is valid.' })
  headStream(@BouncerKeyHash() keyHash: string): void {
    this.metrics.pulled(keyHash, 'check');
  }

  @Head()
  @ApiOperation({
    summary: 'Check the key',
    description:
      'Example: `HEAD /v1/decisions?ip=203.0.113.7` with `X-Api-Key` → 200 and no body (403 for a wrong key).',
  })
  @ApiOkResponse({ description: 'The key is valid.' })
  headDecisions(@BouncerKeyHash() keyHash: string): void {
    this.metrics.pulled(keyHash, 'check');
  }

  @Get('stream')
  @ApiOperation({
    summary: 'Stream mode: bans to add and to remove since this key last pulled',
    description:
      'With `startup=true`: every ban to enforce as `new`, and in `deleted` the last ban of each value that ended in ' +
      'the past week and has none in force. Then, each pull: `new` = bans given out since, `deleted` = bans revoked, ' +
      'expired or withdrawn by an allow since (2 s overlap). Empty lists are `null`, as CrowdSec writes them. The ' +
      'cursor is kept per key (under a hash of it) and survives restarts. Example: `GET /v1/decisions/stream?startup=true`',
  })
  @ApiQuery({ name: 'startup', required: false, example: 'true', description: '`true` for the full list.' })
  @ApiQuery({ name: 'scopes', required: false, example: FILTERS[0].example, description: FILTERS[0].description })
  @ApiQuery({ name: 'origins', required: false, example: FILTERS[1].example, description: FILTERS[1].description })
  @ApiQuery({ name: 'scenarios_containing', required: false, example: 'ssh', description: FILTERS[2].description })
  @ApiQuery({
    name: 'scenarios_not_containing',
    required: false,
    example: 'manual',
    description: FILTERS[3].description,
  })
  @ApiOkResponse({ type: StreamBodyDto })
  @ApiBadRequestResponse({ description: 'A bad `ip`, `range` or `contains` filter: `{"message": …}`.' })
  stream(@BouncerKeyHash() keyHash: string, @Query() query: LapiQuery): Promise<StreamBody> {
    const startup = (Array.isArray(query.startup) ? query.startup[0] : query.startup) === 'true';
    this.metrics.pulled(keyHash, startup ? 'startup' : 'stream');
    return this.bouncers.stream(keyHash, startup, filterOf(query, { scopes: STREAM_SCOPES }));
  }

  @Get()
  @ApiOperation({
    summary: 'Live mode: the bans in force that match, or null',
    description:
      'No deduplication (as CrowdSec). `ip`/`range` with `contains=true` (default) finds bans that contain it; with ' +
      '`contains=false`, bans inside it. Example: `GET /v1/decisions?ip=203.0.113.7`',
  })
  @ApiQuery({ name: 'ip', required: false, example: '203.0.113.7' })
  @ApiQuery({ name: 'range', required: false, example: '203.0.113.0/24' })
  @ApiQuery({ name: 'contains', required: false, example: 'true' })
  @ApiQuery({ name: 'scope', required: false, example: 'ip' })
  @ApiQuery({ name: 'value', required: false, example: '203.0.113.7' })
  @ApiQuery({ name: 'type', required: false, example: 'ban' })
  @ApiQuery({ name: 'origins', required: false, example: FILTERS[1].example, description: FILTERS[1].description })
  @ApiQuery({ name: 'scenarios_containing', required: false, example: 'ssh', description: FILTERS[2].description })
  @ApiQuery({
    name: 'scenarios_not_containing',
    required: false,
    example: 'manual',
    description: FILTERS[3].description,
  })
  @ApiOkResponse({ type: [LapiDecisionDto], description: 'The matching bans, or `null` when there is none.' })
  @ApiBadRequestResponse({ description: 'A bad `ip`, `range` or `contains` filter: `{"message": …}`.' })
  decisions(@BouncerKeyHash() keyHash: string, @Query() query: LapiQuery): Promise<LapiDecision[] | null> {
    this.metrics.pulled(keyHash, 'live');
    return this.bouncers.decisions(filterOf(query));
  }
}
