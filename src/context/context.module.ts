import { Module } from '@nestjs/common';
import { MemoryModule } from '../memory/memory.module';
import { ContextService } from './context.service';

@Module({
  imports: [MemoryModule],
  providers: [ContextService],
  exports: [ContextService],
})
export class ContextModule {}
