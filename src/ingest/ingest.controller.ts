import { Body, Controller, HttpCode, HttpStatus, Post, Query, UseFilters } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiQuery,
  ApiExtraModels,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiSecurity,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import { RequiresCredential } from '../common/auth/credential.decorator';
import { IngestSource } from '../common/auth/ingest-source';
import { EcsEventDto } from './dto/ecs-event.dto';
import { FlatEventDto } from './dto/flat-event.dto';
import { BatchResultDto, IngestAcceptedDto } from './dto/ingest-result.dto';
import { IngestService } from './ingest.service';
import { LINE_FORMATS } from './parsers/formats';
import { RawIngestService } from './raw-ingest.service';
import { WriteQueueFullFilter } from './write-queue-full.filter';

const EVENT_SCHEMA = { oneOf: [{ $ref: getSchemaPath(FlatEventDto) }, { $ref: getSchemaPath(EcsEventDto) }] };

const FLAT_EXAMPLE = {
  timestamp: '2026-11-24T10:00:00Z',
  source_ip: '203.0.113.7',
  event_type: 'ssh_login_failed',
  host: 'bastion-1',
  user: 'root',
  message: 'Failed password for root from 203.0.113.7 port 4242 ssh2',
};

const ECS_EXAMPLE = {
  '@timestamp': '2026-11-24T10:00:05Z',
  source: { ip: '198.51.100.23' },
  event: { action: 'http_request', outcome: 'failure' },
  url: { original: "/search?q=1' UNION SELECT password FROM users--" },
  user_agent: { original: 'sqlmap/1.7.2#stable (https://sqlmap.org)' },
  http: { request: { method: 'GET' }, response: { status_code: 500 } },
};

@ApiTags('ingest')
@ApiSecurity('ingest-token')
@ApiExtraModels(FlatEventDto, EcsEventDto)
@ApiUnauthorizedResponse({ description: 'SOC_INGEST_TOKEN is set and the request does not carry it.' })
@ApiTooManyRequestsResponse({
  description:
    "Over INGEST_RATE_LIMIT (or the ingest token's own limit) requests per minute from this address, or over AUTH_FAILURE_LIMIT failed authentications; see Retry-After.",
})
@ApiPayloadTooLargeResponse({ description: 'Body over INGEST_MAX_BODY bytes, or batch over INGEST_MAX_BATCH records.' })
@RequiresCredential('ingest')
@UseFilters(WriteQueueFullFilter)
@Controller('ingest-log')
export class IngestController {
  constructor(
    private readonly ingest: IngestService,
    private readonly raw: RawIngestService,
  ) {}

  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Ingest one event (flat or ECS form)',
    description:
      'Stores the event, updates the actor, and answers with the verdict and the decision now in force. Answered only after the event is committed. ' +
      'Example: `curl -H "Authorization: Bearer $SOC_INGEST_TOKEN" -H "Content-Type: application/json" ' +
      '-d \'{"source_ip":"203.0.113.7","message":"Failed password for root from 203.0.113.7 port 4242 ssh2"}\' ' +
      'http://127.0.0.1:3000/ingest-log`',
  })
  @ApiBody({ schema: EVENT_SCHEMA, examples: { flat: { value: FLAT_EXAMPLE }, ecs: { value: ECS_EXAMPLE } } })
  @ApiAcceptedResponse({ type: IngestAcceptedDto })
  @ApiBadRequestResponse({ description: 'Malformed JSON, wrong types, no usable or an invalid source address.' })
  ingestOne(@Body() body: unknown, @IngestSource() source: string | null): Promise<IngestAcceptedDto> {
    return this.ingest.ingestOne(body, source);
  }

  @Post('batch')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Ingest a batch: a JSON array, or NDJSON (Content-Type: application/x-ndjson)',
    description:
      'One result per record, in order (`results`): `accepted` (stored, with its id and actor), `unparsed` (names no actor: acknowledged, counted, not stored) or `rejected` (an invalid value: acknowledged, counted, not stored), with the reason. A record that cannot be stored never fails the others, nor the request: 202 whenever the batch itself is readable. ' +
      'Example: `curl -H "X-SOC-Token: $SOC_INGEST_TOKEN" -H "Content-Type: application/x-ndjson" --data-binary @events.ndjson ' +
      'http://127.0.0.1:3000/ingest-log/batch`',
  })
  @ApiBody({
    schema: { type: 'array', items: EVENT_SCHEMA },
    examples: { array: { value: [FLAT_EXAMPLE, ECS_EXAMPLE, { source_ip: '999.1.1.1', message: 'bad address' }] } },
  })
  @ApiAcceptedResponse({ type: BatchResultDto })
  @ApiBadRequestResponse({ description: 'Not an array or NDJSON (malformed JSON), or empty.' })
  ingestBatch(@Body() body: unknown, @IngestSource() source: string | null): Promise<BatchResultDto> {
    return this.ingest.ingestBatch(body, source);
  }

  @Post('raw')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Ingest raw log lines (text/plain, one event per line)',
    description:
      'Syslog (RFC 5424 and 3164), OpenSSH/auth.log, nginx/Apache access logs, CEF, LEEF and JSON lines. The format is detected per line unless `?format=` forces one. One result per non-blank line, in order (`results`, with `line` numbers): `accepted` (stored), `unparsed` (no actor or no known format) or `rejected` (an invalid value), with the reason; a line that cannot be stored never fails the request. ' +
      'Example: `curl -H "Authorization: Bearer $SOC_INGEST_TOKEN" -H "Content-Type: text/plain" --data-binary @/var/log/auth.log ' +
      'http://127.0.0.1:3000/ingest-log/raw`',
  })
  @ApiConsumes('text/plain')
  @ApiQuery({ name: 'format', required: false, enum: ['auto', ...LINE_FORMATS] })
  @ApiBody({
    schema: {
      type: 'string',
      example:
        'Nov 24 10:00:01 bastion-1 sshd[811]: Failed password for root from 203.0.113.7 port 4242 ssh2\n' +
        '198.51.100.23 - - [24/Nov/2026:10:00:02 +0000] "GET /.env HTTP/1.1" 404 153 "-" "Mozilla/5.0"',
    },
  })
  @ApiAcceptedResponse({ type: BatchResultDto })
  @ApiBadRequestResponse({ description: 'Not text, an unknown `?format=`, or no line at all.' })
  ingestRaw(
    @Body() body: unknown,
    @IngestSource() source: string | null,
    @Query('format') format?: string,
  ): Promise<BatchResultDto> {
    return this.raw.ingestRaw(body, format, source);
  }
}
