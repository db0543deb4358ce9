import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { RequiresCredential } from '../common/auth/credential.decorator';
import { MemoryService } from '../memory/memory.service';
import { DecisionViewDto } from '../common/dto/decision-view.dto';
import { DecisionListDto, ListDecisionsQuery } from './dto/list-decisions.query';
import { decisionTarget } from './management/coverage';

@ApiTags('decisions')
@ApiSecurity('admin-token')
@ApiUnauthorizedResponse({ description: 'SOC_ADMIN_TOKEN is set and the request does not carry it.' })
@RequiresCredential('admin')
@SkipThrottle()
@Controller('decisions')
export class DecisionsController {
  constructor(private readonly memory: MemoryService) {}

  @Get()
  @ApiOperation({
    summary: 'List decisions, newest first: by default the active ones in force (unexpired, unrevoked)',
    description:
      'Filters: `active` (default true; false adds expired and revoked ones), `status` (default active), `action`, ' +
      '`scope`, `origin`, `value` (an address in any spelling, or a CIDR). Example: ' +
      '`GET /decisions?action=block&origin=manual&value=203.0.113.7&active=false&limit=50`',
  })
  @ApiOkResponse({ type: DecisionListDto })
  @ApiBadRequestResponse({ description: 'An unknown filter value, a bad address or CIDR, or a bad page.' })
  async list(@Query() query: ListDecisionsQuery): Promise<DecisionListDto> {
    const page = await this.memory.listDecisions({
      now: new Date(),
      inForceOnly: query.active,
      status: query.status,
      action: query.action,
      scope: query.scope,
      origin: query.origin,
      value: query.value === undefined ? undefined : valueFilter(query.value),
      limit: query.limit,
      offset: query.offset,
    });
    return { total: page.total, items: page.items.map((d) => DecisionViewDto.from(d)) };
  }
}

/** The canonical value of an address in any spelling or of a CIDR; a 400 otherwise. */
function valueFilter(text: string): string {
  try {
    return decisionTarget(text).value;
  } catch (error) {
    throw new BadRequestException((error as Error).message);
  }
}
