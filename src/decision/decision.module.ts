import { Module } from '@nestjs/common';
import { ContextModule } from '../context/context.module';
import { LlmModule } from '../llm/llm.module';
import { MemoryModule } from '../memory/memory.module';
import { MetricsModule } from '../metrics/metrics.module';
import { DecisionService } from './decision.service';
import { BlocklistController } from './blocklist/blocklist.controller';
import { BlocklistService } from './blocklist/blocklist.service';
import { BouncerController } from './bouncer/bouncer.controller';
import { BouncerService } from './bouncer/bouncer.service';
import { DecisionsController } from './decisions.controller';
import { AuditController } from './management/audit.controller';
import { DecisionManagementController } from './management/decision-management.controller';
import { FeedbackController } from './management/feedback.controller';
import { DecisionManagementService } from './management/management.service';
import { PolicyService } from './policy.service';
import { ReviewService } from './review/review.service';

@Module({
  imports: [MemoryModule, ContextModule, LlmModule, MetricsModule],
  controllers: [
    DecisionsController,
    BlocklistController,
    DecisionManagementController,
    FeedbackController,
    AuditController,
    BouncerController,
  ],
  providers: [
    DecisionService,
    PolicyService,
    ReviewService,
    DecisionManagementService,
    BouncerService,
    BlocklistService,
  ],
})
export class DecisionModule {}
