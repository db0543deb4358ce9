import { Body, Controller, Param, Post, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiParam,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { RequiresCredential } from '../../common/auth/credential.decorator';
import { FeedbackDto, FeedbackViewDto } from './dto/feedback.dto';
import { ManagementErrorFilter } from './management-error';
import { DecisionManagementService } from './management.service';

@ApiTags('actors')
@ApiSecurity('admin-token')
@ApiUnauthorizedResponse({ description: 'SOC_ADMIN_TOKEN is set and the request does not carry it.' })
@RequiresCredential('admin')
@SkipThrottle()
@UseFilters(ManagementErrorFilter)
@Controller('actors')
export class FeedbackController {
  constructor(private readonly management: DecisionManagementService) {}

  @Post(':ip/feedback')
  @ApiOperation({
    summary: "An analyst's verdict on what was decided about an actor",
    description:
      'Stored with the note and the operator. A `false_positive` revokes the decisions in force on the address ' +
      '(manual allows excepted), with the note as the reason. Example: `POST /actors/203.0.113.7/feedback ' +
      '{"verdict":"false_positive","note":"our vulnerability scanner","by":"alice"}`',
  })
  @ApiParam({ name: 'ip', example: '203.0.113.7', description: 'Any spelling of the address.' })
  @ApiBody({
    type: FeedbackDto,
    examples: {
      falsePositive: { value: { verdict: 'false_positive', note: 'our vulnerability scanner', by: 'alice' } },
      truePositive: { value: { verdict: 'true_positive', note: 'matches the VPN brute force', by: 'bob' } },
    },
  })
  @ApiCreatedResponse({ type: FeedbackViewDto })
  @ApiBadRequestResponse({ description: 'Not an IP address, unknown verdict, note or by missing.' })
  @ApiNotFoundResponse({ description: 'No events from this address.' })
  async create(@Param('ip') ip: string, @Body() body: FeedbackDto): Promise<FeedbackViewDto> {
    return FeedbackViewDto.from(await this.management.feedback(ip, body.verdict, body.note, body.by));
  }
}
