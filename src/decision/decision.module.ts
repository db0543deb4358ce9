import { Module } from '@nestjs/common';
import { ContextModule } from '../context/context.module';
import { LlmModule } from '../llm/llm.module';
import { MemoryModule } from '../memory/memory.module';
import { DecisionService } from './decision.service';
import { DecisionsController } from './decisions.controller';
import { PolicyService } from './policy.service';

@Module({
  imports: [MemoryModule, ContextModule, LlmModule],
  controllers: [DecisionsController],
  providers: [DecisionService, PolicyService],
})
export class DecisionModule {}
