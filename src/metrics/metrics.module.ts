import { Module } from '@nestjs/common';
import { IngestMetrics } from './ingest-metrics';
import { LlmMetrics } from './llm-metrics';
import { MetricsService } from './metrics.service';

/** Prometheus metrics, the LLM's cost and health figures and the ingest items' fate; metrics-api.module.ts serves them. */
@Module({
  providers: [MetricsService, LlmMetrics, IngestMetrics],
  exports: [MetricsService, LlmMetrics, IngestMetrics],
})
export class MetricsModule {}
