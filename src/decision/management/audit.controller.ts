import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { RequiresCredential } from '../../common/auth/credential.decorator';
import { AuditEntryDto, AuditListDto, AuditQueryDto } from './dto/audit.query';
import { ManagementErrorFilter } from './management-error';
import { DecisionManagementService } from './management.service';

@ApiTags('audit')
@ApiSecurity('admin-token')
@ApiUnauthorizedResponse({ description: 'SOC_ADMIN_TOKEN is set and the request does not carry it.' })
@RequiresCredential('admin')
@SkipThrottle()
@UseFilters(ManagementErrorFilter)
@Controller('audit')
export class AuditController {
  constructor(private readonly management: DecisionManagementService) {}

  @Get()
  @ApiOperation({
    summary: 'The audit trail: every change to every decision, newest first',
    description:
      'Who created, revoked, approved or rejected which decision, when and why, with what the decision is about. ' +
      'Example: `GET /audit?value=203.0.113.7&who=alice&since=2026-11-24T00:00:00Z&limit=50`',
  })
  @ApiOkResponse({ type: AuditListDto })
  @ApiBadRequestResponse({ description: 'A bad id, value, time or page.' })
  async list(@Query() query: AuditQueryDto): Promise<AuditListDto> {
    const page = await this.management.audit({
      decisionId: query.decisionId,
      value: query.value,
      who: query.who,
      since: query.since === undefined ? undefined : new Date(query.since),
      until: query.until === undefined ? undefined : new Date(query.until),
      limit: query.limit,
      offset: query.offset,
    });
    return { total: page.total, items: page.items.map((entry) => AuditEntryDto.from(entry)) };
  }
}
