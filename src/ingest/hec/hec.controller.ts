import { Body, Controller, Get, HttpCode, Post, Query, Res } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { FastifyReply } from 'fastify';
import { RequiresCredential } from '../../common/auth/credential.decorator';
import { HEC, HecAnswer } from './hec-protocol';
import { HecService } from './hec.service';

const EVENT_EXAMPLE =
  '{"time":1764000000.5,"host":"bastion-1","sourcetype":"linux_secure","event":"Nov 24 10:00:01 bastion-1 sshd[811]: Failed password for root from 203.0.113.7 port 4242 ssh2"}\n' +
  '{"time":1764000001,"host":"web-1","event":{"source_ip":"198.51.100.23","url":"/.env","user_agent":"Mozilla/5.0"}}';

const ANSWERS = {
  200: 'Success: `{"text":"Success","code":0}`',
  400: 'No data (code 5), Invalid data format (code 6, with `invalid-event-number`), Event field is required (12) or cannot be blank (13).',
  401: 'Token is required (code 2) or Invalid authorization (code 3).',
  403: 'Invalid token (code 4).',
  503: 'Server is busy (code 9).',
};

function answer(reply: FastifyReply, result: HecAnswer): HecAnswer['body'] {
  void reply.status(result.status);
  return result.body;
}

/**
 * Splunk HTTP Event Collector compatible routes, so that forwarders configured for Splunk
 * (`Authorization: Splunk <SOC_INGEST_TOKEN>`) send here unchanged.
 */
@ApiTags('splunk-hec')
@Controller('services/collector')
export class HecController {
  constructor(private readonly hec: HecService) {}

  @Post(['event', 'event/1.0', ''])
  @RequiresCredential('hec')
  @HttpCode(200)
  @ApiOperation({
    summary: 'HEC events: JSON envelopes written back to back (event as object or string)',
    description:
      'The token goes as Splunk sends it: `Authorization: Splunk <SOC_INGEST_TOKEN>` (not Bearer). ' +
      'Example: `curl -H "Authorization: Splunk $SOC_INGEST_TOKEN" -d \'{"event":{"source_ip":"203.0.113.7","message":"…"}}\' ' +
      'http://127.0.0.1:3000/services/collector/event`',
  })
  @ApiBody({ schema: { type: 'string', example: EVENT_EXAMPLE } })
  @ApiResponse({ status: 200, description: ANSWERS[200], schema: { example: { text: 'Success', code: 0 } } })
  @ApiResponse({ status: 400, description: ANSWERS[400] })
  @ApiResponse({ status: 401, description: ANSWERS[401] })
  @ApiResponse({ status: 403, description: ANSWERS[403] })
  @ApiResponse({ status: 503, description: ANSWERS[503] })
  async event(@Body() body: unknown, @Res({ passthrough: true }) reply: FastifyReply): Promise<HecAnswer['body']> {
    return answer(reply, await this.hec.ingestEvents(body));
  }

  @Post(['raw', 'raw/1.0'])
  @RequiresCredential('hec')
  @HttpCode(200)
  @ApiOperation({
    summary: 'HEC raw: one event per line, any supported line format',
    description:
      'The token goes as Splunk sends it: `Authorization: Splunk <SOC_INGEST_TOKEN>`. ' +
      'Example: `curl -H "Authorization: Splunk $SOC_INGEST_TOKEN" --data-binary @/var/log/auth.log ' +
      '"http://127.0.0.1:3000/services/collector/raw?sourcetype=linux_secure"`',
  })
  @ApiQuery({
    name: 'sourcetype',
    required: false,
    example: 'linux_secure',
    description:
      'Names the format where it is unambiguous (access_combined, access_common, nginx, apache:access, cef, leef, _json); otherwise each line is detected.',
  })
  @ApiBody({
    schema: {
      type: 'string',
      example: 'Nov 24 10:00:01 bastion-1 sshd[811]: Invalid user oracle from 203.0.113.9 port 51234',
    },
  })
  @ApiResponse({ status: 200, description: ANSWERS[200], schema: { example: { text: 'Success', code: 0 } } })
  @ApiResponse({ status: 400, description: ANSWERS[400] })
  @ApiResponse({ status: 401, description: ANSWERS[401] })
  @ApiResponse({ status: 403, description: ANSWERS[403] })
  async raw(
    @Body() body: unknown,
    @Query('sourcetype') sourcetype: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HecAnswer['body']> {
    return answer(reply, await this.hec.ingestRaw(body, sourcetype));
  }

  @Get(['health', 'health/1.0'])
  @RequiresCredential('public')
  @SkipThrottle()
  @ApiOperation({
    summary: 'HEC health (no token needed, as in Splunk)',
    description: 'Example: `GET /services/collector/health` → `{"text":"HEC is healthy","code":17}`',
  })
  @ApiOkResponse({ schema: { example: HEC.healthy.body } })
  @ApiResponse({ status: 503, description: 'Server is busy (code 9): the write queue is full.' })
  health(@Res({ passthrough: true }) reply: FastifyReply): HecAnswer['body'] {
    return answer(reply, this.hec.health());
  }
}
