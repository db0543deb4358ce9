import { Module } from '@nestjs/common';
import { LlmMetrics } from './llm-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';

/** Prometheus metrics (GET /metrics) and the LLM's cost and health summary (GET /llm/stats). */
@Module({
  controllers: [MetricsController],
  providers: [MetricsService, LlmMetrics],
  exports: [MetricsService, LlmMetrics],
})
export class MetricsModule {}
