import { Module } from '@nestjs/common';
import { LlmMetrics } from './llm-metrics';
import { MetricsService } from './metrics.service';

/** Prometheus metrics and the LLM's cost and health figures; metrics-api.module.ts serves them. */
@Module({
  providers: [MetricsService, LlmMetrics],
  exports: [MetricsService, LlmMetrics],
})
export class MetricsModule {}
