import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../../config/environment';
import { parseRedisUrl } from '../../config/redis-url';
import { SharedRedis } from './shared-redis';

/** The Redis connection REDIS_URL names (`SharedRedis.client` is null without it). */
@Module({
  providers: [
    {
      provide: SharedRedis,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => {
        const url = config.get('REDIS_URL', { infer: true });
        return new SharedRedis(
          url === undefined ? null : parseRedisUrl(url),
          config.get('REDIS_KEY_PREFIX', { infer: true }),
        );
      },
    },
  ],
  exports: [SharedRedis],
})
export class RedisModule {}
