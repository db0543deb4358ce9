import { Module } from '@nestjs/common';
import { MemoryModule } from '../memory/memory.module';
import { ActorsController } from './actors.controller';
import { ContextService } from './context.service';

@Module({
  imports: [MemoryModule],
  controllers: [ActorsController],
  providers: [ContextService],
  exports: [ContextService],
})
export class ContextModule {}
