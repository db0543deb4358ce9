import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { SharedRedis } from '../common/redis/shared-redis';

/**
 * The terminus indicator `redis` (only with REDIS_URL): a PING within the command timeout. While
 * it fails, rate-limited routes answer 503, so the instance is not ready. The reason is the
 * client's ("not connected", "Command timed out"), never the URL.
 */
@Injectable()
export class RedisReadiness {
  constructor(
    private readonly redis: SharedRedis,
    private readonly indicator: HealthIndicatorService,
  ) {}

  get configured(): boolean {
    return this.redis.client !== null;
  }

  async answersPing() {
    const session = this.indicator.check('redis');
    const ping = await this.redis.ping();
    return ping.up ? session.up() : session.down({ reason: ping.reason });
  }
}
