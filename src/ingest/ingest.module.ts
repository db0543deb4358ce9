import { Module } from '@nestjs/common';
import { DecisionModule } from '../decision/decision.module';
import { MemoryModule } from '../memory/memory.module';
import { MetricsModule } from '../metrics/metrics.module';
import { EventSink } from './event-sink';
import { HecController } from './hec/hec.controller';
import { HecService } from './hec/hec.service';
import { IngestController } from './ingest.controller';
import { RawIngestService } from './raw-ingest.service';
import { IngestService } from './ingest.service';

@Module({
  imports: [MemoryModule, DecisionModule, MetricsModule],
  controllers: [IngestController, HecController],
  providers: [EventSink, IngestService, RawIngestService, HecService],
  exports: [EventSink],
})
export class IngestModule {}
