import { Module } from '@nestjs/common';
import { MemoryModule } from '../memory/memory.module';
import { IngestController } from './ingest.controller';
import { IngestService } from './ingest.service';

@Module({
  imports: [MemoryModule],
  controllers: [IngestController],
  providers: [IngestService],
})
export class IngestModule {}
