import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiSecurity, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { RequiresCredential } from '../common/auth/credential.decorator';
import { MemoryService } from '../memory/memory.service';
import { DecisionViewDto } from './dto/decision-view.dto';
import { DecisionListDto, ListDecisionsQuery } from './dto/list-decisions.query';

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
    summary: 'List the decisions in force (unexpired, unrevoked), newest first',
    description: 'Example: `GET /decisions?action=block&limit=50`',
  })
  @ApiOkResponse({ type: DecisionListDto })
  async list(@Query() query: ListDecisionsQuery): Promise<DecisionListDto> {
    const page = await this.memory.activeDecisions({
      now: new Date(),
      action: query.action,
      limit: query.limit,
      offset: query.offset,
    });
    return { total: page.total, items: page.items.map((d) => DecisionViewDto.from(d)) };
  }
}
