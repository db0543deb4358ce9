import { Controller, Get, Header } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import { RequiresCredential } from '../common/auth/credential.decorator';
import { LlmMetrics, LlmStats } from './llm-metrics';
import { MetricsService } from './metrics.service';

const METRICS_EXAMPLE = [
  '# HELP soc_ingest_items_total Items (records, lines, HEC events, syslog messages) by route and what became of them.',
  '# TYPE soc_ingest_items_total counter',
  'soc_ingest_items_total{route="ingest_raw",status="accepted"} 60000',
  'soc_ingest_unusable_total{route="ingest_raw",format="unknown",reason="unknown_format"} 12',
  'soc_decisions_total{action="block",rule="ssh-brute-force",origin="policy",status="active"} 41',
  'soc_http_request_duration_seconds_bucket{le="0.01",method="POST",route="/ingest-log/raw",status="202"} 118',
  '',
].join('\n');

const STATS_EXAMPLE = {
  setup: { provider: 'anthropic', model: 'claude-haiku-5-5', queueMax: 1000, concurrency: 2, callsPerMinute: 60 },
  calls: { success: 41, failure: 3 },
  failures: { timeout: 1, rate_limited: 2, overloaded: 0, server_error: 0, invalid_output: 0 },
  retries: 3,
  fallbacks: { failed: 0, breaker_open: 0, aborted: 0 },
  dropped: { queue_full: 0, budget: 2 },
  tokens: { input: 52_310, output: 6_240, cacheRead: 0, cacheCreation: 0 },
  queue: { depth: 0, inFlight: 1 },
  budget: { usedLastMinute: 12 },
  breaker: { state: 'closed', opened: 0 },
  latency: { count: 44, meanMs: 820 },
  reviews: { offered: { decision: 30, score_band: 16 }, coalesced: 4, results: { raised: 2, confirmed: 37 } },
};

@ApiTags('metrics')
@ApiSecurity('admin-token')
@ApiUnauthorizedResponse({ description: 'SOC_ADMIN_TOKEN is set and the request does not carry it.' })
@RequiresCredential('admin')
@SkipThrottle()
@Controller()
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    private readonly llm: LlmMetrics,
  ) {}

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Prometheus metrics (text exposition format)',
    description:
      'Ingest (records by source, format and reason), signals, decisions, the write queue and flushes, HTTP by ' +
      'route, bouncer pulls, syslog, webhooks, the LLM, and the process. Scrape with the admin token: ' +
      'Example: `curl -H "Authorization: Bearer $SOC_ADMIN_TOKEN" http://127.0.0.1:3000/metrics`',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({
    description: 'The text exposition format, version 0.0.4.',
    schema: { type: 'string', example: METRICS_EXAMPLE },
  })
  prometheus(): Promise<string> {
    return this.metrics.text();
  }

  @Get('llm/stats')
  @ApiOperation({
    summary: 'What the LLM analyst did and cost: calls, failures, fallbacks, tokens, queue, breaker',
    description: 'The same numbers as the `soc_llm_*` metrics. Example: `GET /llm/stats`',
  })
  @ApiOkResponse({ schema: { type: 'object', example: STATS_EXAMPLE } })
  stats(): Promise<LlmStats> {
    return this.llm.snapshot();
  }
}
