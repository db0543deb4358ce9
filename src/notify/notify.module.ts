import { Module } from '@nestjs/common';
import { MemoryModule } from '../memory/memory.module';
import { MetricsModule } from '../metrics/metrics.module';
import { WebhookService } from './webhook.service';

/** Notifications: webhooks on new decisions, after commit. Only the service loads it (never the replay). */
@Module({
  imports: [MemoryModule, MetricsModule],
  providers: [WebhookService],
})
export class NotifyModule {}
