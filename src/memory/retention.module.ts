import { Module } from '@nestjs/common';
import { MemoryModule } from './memory.module';
import { RetentionService } from './retention.service';

/** Retention on the wall clock: the service imports it, the replay (on the log's clock) does not. */
@Module({ imports: [MemoryModule], providers: [RetentionService], exports: [RetentionService] })
export class RetentionModule {}
