import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { RedisModule } from '../common/redis/redis.module';
import { MemoryModule } from '../memory/memory.module';
import { HealthController } from './health.controller';
import { RedisReadiness } from './redis-readiness';
import { StorageReadiness } from './storage-readiness';

/**
 * Liveness and readiness for orchestrators, with @nestjs/terminus' indicators: the database's
 * ping, the store's writability and, with REDIS_URL, Redis'. Terminus' own failure log is off:
 * a probe polls every few seconds, and StorageHealth and SharedRedis log each change once.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), MemoryModule, RedisModule],
  controllers: [HealthController],
  providers: [StorageReadiness, RedisReadiness],
})
export class HealthModule {}
