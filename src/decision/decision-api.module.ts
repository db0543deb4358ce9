import { Module } from '@nestjs/common';
import { MemoryModule } from '../memory/memory.module';
import { MetricsModule } from '../metrics/metrics.module';
import { BlocklistController } from './blocklist/blocklist.controller';
import { BlocklistService } from './blocklist/blocklist.service';
import { BouncerController } from './bouncer/bouncer.controller';
import { BouncerService } from './bouncer/bouncer.service';
import { DecisionModule } from './decision.module';
import { DecisionsController } from './decisions.controller';
import { AuditController } from './management/audit.controller';
import { DecisionManagementController } from './management/decision-management.controller';
import { FeedbackController } from './management/feedback.controller';
import { DecisionManagementService } from './management/management.service';

/**
 * The decisions' routes: reading them, the management API, the CrowdSec bouncer routes and the
 * blocklist export, on top of the decision engine (decision.module.ts).
 */
@Module({
  imports: [MemoryModule, DecisionModule, MetricsModule],
  controllers: [
    DecisionsController,
    BlocklistController,
    DecisionManagementController,
    FeedbackController,
    AuditController,
    BouncerController,
  ],
  providers: [DecisionManagementService, BouncerService, BlocklistService],
  exports: [DecisionManagementService],
})
export class DecisionApiModule {}
