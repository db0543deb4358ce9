import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../config/environment';
import { HostResolver } from './host-resolver';
import { ContextModule } from '../context/context.module';
import { LlmModule } from '../llm/llm.module';
import { MemoryModule } from '../memory/memory.module';
import { MetricsModule } from '../metrics/metrics.module';
import { DecisionService } from './decision.service';
import { PolicyService } from './policy.service';
import { ReviewService } from './review/review.service';
import { TriageService } from './triage.service';

/**
 * Judging and deciding, without HTTP: the policy, triage of every write (TriageService, which
 * hands Memory the events with their planner; DecisionService judges), and the LLM review.
 * decision-api.module.ts adds the routes; the replay boots this module alone.
 */
@Module({
  imports: [MemoryModule, ContextModule, LlmModule, MetricsModule],
  providers: [
    DecisionService,
    TriageService,
    PolicyService,
    ReviewService,
    {
      provide: HostResolver,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        new HostResolver(config.get('RESOLVE_HOSTNAMES', { infer: true }) === 'true'),
    },
  ],
  exports: [PolicyService, TriageService],
})
export class DecisionModule {}
