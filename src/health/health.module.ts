import { Module } from '@nestjs/common';
import { MemoryModule } from '../memory/memory.module';
import { HealthController } from './health.controller';

@Module({ imports: [MemoryModule], controllers: [HealthController] })
export class HealthModule {}
