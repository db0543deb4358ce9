import { Module } from '@nestjs/common';
import { ExplainController } from './explain.controller';
import { ExplainService } from './explain.service';

/** POST /explain: reads lines as ingest would, stores nothing; depends on no other module. */
@Module({
  controllers: [ExplainController],
  providers: [ExplainService],
})
export class ExplainModule {}
