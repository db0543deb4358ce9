import { Body, Controller, Delete, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { RequiresCredential } from '../../common/auth/credential.decorator';
import { DecisionViewDto } from '../../common/dto/decision-view.dto';
import { DecisionChangeDto, DecisionIdParam } from './dto/decision-change.dto';
import { ManualDecisionDto, ManualDecisionResultDto } from './dto/manual-decision.dto';
import { ManagementErrorFilter } from './management-error';
import { DecisionManagementService } from './management.service';

const CHANGE_EXAMPLE = { reason: 'confirmed with the owner: a misconfigured backup job', by: 'alice' };
const ID_PARAM = { name: 'id', format: 'uuid', example: '0193a4c2-7f00-7000-8000-00000000beef' };

@ApiTags('decisions')
@ApiSecurity('admin-token')
@ApiUnauthorizedResponse({ description: 'SOC_ADMIN_TOKEN is set and the request does not carry it.' })
@RequiresCredential('admin')
@SkipThrottle()
@UseFilters(ManagementErrorFilter)
@Controller('decisions')
export class DecisionManagementController {
  constructor(private readonly management: DecisionManagementService) {}

  @Post()
  @ApiOperation({
    summary: 'Make a manual block or allow for an address or CIDR',
    description:
      'Origin `manual`, rule `manual`, in force at once for `duration`. A manual `allow` ends every active block that ' +
      'shares an address with it (audit reason "superseded by manual allow"): a block it covers is revoked, a wider ' +
      'one is split (revoked, and its network less the allowed one blocked again as `created`). Bouncers get the ' +
      'change at their next pull. A block that overlaps an allow-listed network (policy, ALLOWLIST_CIDRS, manual ' +
      'allow) is refused (409, naming it) unless `force: true`. Example: ' +
      '`POST /decisions {"action":"block","value":"203.0.113.7","duration":"4h","reason":"credential stuffing","by":"alice"}`',
  })
  @ApiBody({
    type: ManualDecisionDto,
    examples: {
      block: {
        value: { action: 'block', value: '203.0.113.7', duration: '4h', reason: 'credential stuffing', by: 'alice' },
      },
      allow: {
        value: { action: 'allow', value: '198.51.100.0/24', duration: '30d', reason: 'our scanners', by: 'alice' },
      },
    },
  })
  @ApiCreatedResponse({ type: ManualDecisionResultDto })
  @ApiBadRequestResponse({
    description: 'Bad value, CIDR with host bits, range too wide, bad duration, missing reason or by.',
  })
  @ApiConflictResponse({ description: 'A block overlapping an allow-listed network, without `force`.' })
  async create(@Body() body: ManualDecisionDto): Promise<ManualDecisionResultDto> {
    const { decision, revoked, created, forcedOver } = await this.management.create(body);
    return {
      decision: DecisionViewDto.from(decision),
      revoked: revoked.map((d) => DecisionViewDto.from(d)),
      created: created.map((d) => DecisionViewDto.from(d)),
      forcedOver,
    };
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Revoke a decision in force',
    description:
      'The reason and the operator go in a JSON body and into the audit trail. Bouncers drop a revoked ban at their ' +
      'next pull. Example: `DELETE /decisions/0193a4c2-… {"reason":"false positive: our backup job","by":"alice"}`',
  })
  @ApiParam(ID_PARAM)
  @ApiBody({ type: DecisionChangeDto, examples: { revoke: { value: CHANGE_EXAMPLE } } })
  @ApiOkResponse({ type: DecisionViewDto, description: 'The decision as revoked.' })
  @ApiBadRequestResponse({ description: 'Not a decision id, or reason/by missing.' })
  @ApiNotFoundResponse({ description: 'No decision with this id.' })
  @ApiConflictResponse({ description: 'Already revoked, expired, pending (reject it), or not active.' })
  async revoke(@Param() params: DecisionIdParam, @Body() body: DecisionChangeDto): Promise<DecisionViewDto> {
    return DecisionViewDto.from(await this.management.revoke(params.id, body));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Approve a pending decision',
    description:
      'It goes into force now for the duration it was proposed with. Example: ' +
      '`POST /decisions/0193a4c2-…/approve {"reason":"matches the phishing campaign","by":"alice"}`',
  })
  @ApiParam(ID_PARAM)
  @ApiBody({
    type: DecisionChangeDto,
    examples: { approve: { value: { reason: 'matches the phishing campaign', by: 'alice' } } },
  })
  @ApiOkResponse({ type: DecisionViewDto, description: 'The decision, now active.' })
  @ApiBadRequestResponse({ description: 'Not a decision id, or reason/by missing.' })
  @ApiNotFoundResponse({ description: 'No decision with this id.' })
  @ApiConflictResponse({ description: 'Not pending, or a block overlapping an allow-listed network.' })
  async approve(@Param() params: DecisionIdParam, @Body() body: DecisionChangeDto): Promise<DecisionViewDto> {
    return DecisionViewDto.from(await this.management.approve(params.id, body));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Reject a pending decision',
    description:
      'It is never published. Example: `POST /decisions/0193a4c2-…/reject {"reason":"a partner\'s NAT","by":"alice"}`',
  })
  @ApiParam(ID_PARAM)
  @ApiBody({ type: DecisionChangeDto, examples: { reject: { value: { reason: "a partner's NAT", by: 'alice' } } } })
  @ApiOkResponse({ type: DecisionViewDto, description: 'The decision, now rejected.' })
  @ApiBadRequestResponse({ description: 'Not a decision id, or reason/by missing.' })
  @ApiNotFoundResponse({ description: 'No decision with this id.' })
  @ApiConflictResponse({ description: 'Not pending.' })
  async reject(@Param() params: DecisionIdParam, @Body() body: DecisionChangeDto): Promise<DecisionViewDto> {
    return DecisionViewDto.from(await this.management.reject(params.id, body));
  }
}
