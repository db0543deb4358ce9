import { Module } from '@nestjs/common';
import { MemoryModule } from '../memory/memory.module';
import { HealthController } from './health.controller';
import { StorageReadiness } from './storage-readiness';

@Module({ imports: [MemoryModule], controllers: [HealthController], providers: [StorageReadiness] })
export class HealthModule {}
