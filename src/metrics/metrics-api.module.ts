import { Module, OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics } from 'prom-client';
import { MemoryModule } from '../memory/memory.module';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';
import { MetricsModule } from './metrics.module';
import { MetricsService } from './metrics.service';
import { WriteMetrics } from './write-metrics';

/**
 * GET /metrics (Prometheus) and GET /llm/stats, plus the metrics only the service has: HTTP,
 * the write path, and the process's own (CPU, memory, event loop lag, GC). The replay, which
 * serves nothing, loads none of these.
 */
@Module({
  imports: [MetricsModule, MemoryModule],
  controllers: [MetricsController],
  providers: [HttpMetrics, WriteMetrics],
  exports: [HttpMetrics],
})
export class MetricsApiModule implements OnModuleInit {
  constructor(private readonly metrics: MetricsService) {}

  onModuleInit(): void {
    collectDefaultMetrics({ register: this.metrics.registry });
  }
}
