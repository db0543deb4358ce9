import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { FastifyReply } from 'fastify';
import { RequiresCredential } from '../../common/auth/credential.decorator';
import { HecExceptionFilter, setRetryAfter } from './hec-exception.filter';
import { IngestSource } from '../../common/auth/ingest-source';
import { HEC, HecAnswer } from '../../common/auth/hec-answers';
import { HecRequestMeta, HecService } from './hec.service';

const EVENT_EXAMPLE =
  '{"time":1764000000.5,"host":"bastion-1","sourcetype":"linux_secure","event":"Nov 24 10:00:01 bastion-1 sshd[811]: Failed password for root from 203.0.113.7 port 4242 ssh2"}\n' +
  '{"time":1764000001,"host":"web-1","event":{"source_ip":"198.51.100.23","url":"/.env","user_agent":"Mozilla/5.0"}}';

const ANSWERS = {
  200: 'Success: `{"text":"Success","code":0}`',
  400: 'No data (code 5), Invalid data format (code 6, with `invalid-event-number`: the body is not JSON), Event field is required (12) or cannot be blank (13); with HEC_ACK=true, Data channel is missing (10) or Invalid data channel (11). An event that names no actor is not an error: it is acknowledged and counted.',
  401: 'Token is required (code 2) or Invalid authorization (code 3).',
  403: 'Invalid token (code 4).',
  429: 'Server is busy (code 9): over INGEST_RATE_LIMIT; see Retry-After.',
  503: 'Server is busy (code 9): the write queue is full, or no room for a new ack channel; see Retry-After.',
};

const CHANNEL_HEADER = 'x-splunk-request-channel';

function answer<T>(reply: FastifyReply, result: { status: number; body: T }): T {
  setRetryAfter(reply, result.status);
  void reply.status(result.status);
  return result.body;
}

function metaOf(header: string | undefined, query: string | undefined): HecRequestMeta {
  return { channel: header ?? query };
}

/**
 * Splunk HTTP Event Collector compatible routes, so that forwarders configured for Splunk
 * (`Authorization: Splunk <SOC_INGEST_TOKEN>`) send here unchanged.
 */
@ApiTags('splunk-hec')
@UseFilters(HecExceptionFilter)
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
  @ApiResponse({ status: 429, description: ANSWERS[429] })
  @ApiResponse({ status: 503, description: ANSWERS[503] })
  async event(
    @Body() body: unknown,
    @Headers(CHANNEL_HEADER) channelHeader: string | undefined,
    @Query('channel') channelQuery: string | undefined,
    @IngestSource() source: string | null,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HecAnswer['body']> {
    return answer(reply, await this.hec.ingestEvents(body, metaOf(channelHeader, channelQuery), source));
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
  @ApiResponse({ status: 429, description: ANSWERS[429] })
  @ApiResponse({ status: 503, description: ANSWERS[503] })
  async raw(
    @Body() body: unknown,
    @Query('sourcetype') sourcetype: string | undefined,
    @Headers(CHANNEL_HEADER) channelHeader: string | undefined,
    @Query('channel') channelQuery: string | undefined,
    @IngestSource() source: string | null,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HecAnswer['body']> {
    return answer(reply, await this.hec.ingestRaw(body, sourcetype, metaOf(channelHeader, channelQuery), source));
  }

  @Post(['ack', 'ack/1.0'])
  @RequiresCredential('hec')
  @HttpCode(200)
  @ApiOperation({
    summary: 'HEC indexer acknowledgement (HEC_ACK=true): which ackIds of this channel are committed',
    description:
      'Body `{"acks":[0,1,2]}` on the channel (X-Splunk-Request-Channel or `?channel=`) the events were sent on; answer `{"acks":{"0":true,"1":true,"2":false}}`. An ackId is issued only after its events are committed; it answers true once, then is forgotten (as in Splunk). ' +
      'Example: `curl -H "Authorization: Splunk $SOC_INGEST_TOKEN" -H "X-Splunk-Request-Channel: 0b6f2f4e-3f5e-4c1e-9a53-3c2f0e1d7a10" ' +
      '-d \'{"acks":[0]}\' http://127.0.0.1:3000/services/collector/ack`',
  })
  @ApiBody({ schema: { type: 'object', example: { acks: [0, 1, 2] } } })
  @ApiOkResponse({ schema: { example: { acks: { '0': true, '1': true, '2': false } } } })
  @ApiResponse({
    status: 400,
    description:
      'ACK is disabled (code 14), Data channel is missing (10), Invalid data channel (11), Invalid data format (6).',
  })
  @ApiResponse({ status: 401, description: ANSWERS[401] })
  @ApiResponse({ status: 403, description: ANSWERS[403] })
  ack(
    @Body() body: unknown,
    @Headers(CHANNEL_HEADER) channelHeader: string | undefined,
    @Query('channel') channelQuery: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): HecAnswer['body'] | { acks: Record<string, boolean> } {
    return answer<HecAnswer['body'] | { acks: Record<string, boolean> }>(
      reply,
      this.hec.queryAcks(body, metaOf(channelHeader, channelQuery)),
    );
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
