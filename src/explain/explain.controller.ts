import { Body, Controller, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiQuery,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { RequiresCredential } from '../common/auth/credential.decorator';
import { LINE_FORMATS } from '../ingest/parsers/formats';
import { ExplainService } from './explain.service';
import { LineExplanation } from './explain-line';

@ApiTags('explain')
@ApiSecurity('admin-token')
@ApiUnauthorizedResponse({ description: 'The request does not carry SOC_ADMIN_TOKEN.' })
@RequiresCredential('admin')
@Controller('explain')
export class ExplainController {
  constructor(private readonly explain: ExplainService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Explain raw log lines without storing them (text/plain, one event per line)',
    description:
      'For each line, in order: the format it was read as, the actor it would be filed under (and its scope), the event time, the signals with the rule and text each matched, and the authentication attempt it belongs to; or `actor: null` with the reason it would be refused. Nothing is stored or decided. At most 10,000 lines. ' +
      'Example: `POST /explain` with the body `Failed password for root from 203.0.113.7 port 4242 ssh2`.',
  })
  @ApiConsumes('text/plain')
  @ApiQuery({ name: 'format', required: false, enum: ['auto', ...LINE_FORMATS] })
  @ApiBody({
    schema: {
      type: 'string',
      example: 'Nov 24 10:00:01 bastion sshd[1234]: Failed password for root from 203.0.113.7 port 4242 ssh2',
    },
  })
  @ApiOkResponse({ description: 'A JSON array, one object per line (blank lines included), in line order.' })
  @ApiBadRequestResponse({ description: 'Not text/plain, no lines, or an unknown format.' })
  @ApiPayloadTooLargeResponse({ description: 'More than 10,000 lines, or a body over INGEST_MAX_BODY bytes.' })
  explainLines(@Body() body: unknown, @Query('format') format?: string): LineExplanation[] {
    return this.explain.explainText(body, format);
  }
}
