import { Module } from '@nestjs/common';
import { BouncerMetrics } from './bouncer-metrics';
import { IngestMetrics } from './ingest-metrics';
import { LlmMetrics } from './llm-metrics';
import { MetricsService } from './metrics.service';

/**
 * The application's Prometheus registry and the counters the engine's modules feed (LLM,
 * ingest, bouncers); metrics-api.module.ts adds the HTTP, write-path and process metrics and
 * serves them.
 */
@Module({
  providers: [MetricsService, LlmMetrics, IngestMetrics, BouncerMetrics],
  exports: [MetricsService, LlmMetrics, IngestMetrics, BouncerMetrics],
})
export class MetricsModule {}
