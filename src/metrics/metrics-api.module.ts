import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsModule } from './metrics.module';

/** GET /metrics (Prometheus) and GET /llm/stats (the LLM's cost and health summary). */
@Module({ imports: [MetricsModule], controllers: [MetricsController] })
export class MetricsApiModule {}
