import { ServiceUnavailableException } from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import Redis from 'ioredis';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** Seconds a client refused for want of the shared store is asked to wait. */
export const RATE_LIMIT_STORE_RETRY_AFTER_SECONDS = 5;

/** The shared counters could not be read: the request is refused (503), not let through uncounted. */
export class RateLimitStoreUnavailable extends ServiceUnavailableException {
  constructor() {
    super('The shared rate-limit store (Redis) does not answer; nothing was accepted. Retry later.');
  }
}

/**
 * The throttler's counters in Redis (@nest-lab/throttler-storage-redis: one atomic script per
 * hit, a fixed window per key), so that every instance on the same REDIS_URL counts against
 * the same budget. Fails closed: when Redis does not answer, the request gets 503 with
 * Retry-After (a forwarder keeps and resends), never a pass that would let a flood through
 * every instance uncounted, and never a 500.
 */
export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly store: ThrottlerStorageRedisService;

  constructor(private readonly client: Redis) {
    this.store = new ThrottlerStorageRedisService(client);
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    // Not connected: refused at once (a command sent now would fail anyway, after arming its timeout).
    if (this.client.status !== 'ready') {
      throw new RateLimitStoreUnavailable();
    }
    try {
      return await this.store.increment(key, ttl, limit, blockDuration, throttlerName);
    } catch {
      throw new RateLimitStoreUnavailable();
    }
  }
}
