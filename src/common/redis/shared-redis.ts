import { Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { describeRedisTarget, RedisTarget } from '../../config/redis-url';

/** A command that takes longer fails (the request gets 503, not a hang). */
export const REDIS_COMMAND_TIMEOUT_MS = 1000;
/** How long the start waits for Redis before serving anyway (not ready until Redis answers). */
const START_WAIT_MS = 3000;

/**
 * The one Redis connection of this process (REDIS_URL), or none. Commands are never queued
 * while the connection is down: they fail at once, so a request is refused rather than held.
 * The connection is retried for ever in the background; each change (lost, back) is logged
 * once, with the target but never its user or password.
 */
export class SharedRedis implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(SharedRedis.name);
  readonly client: Redis | null;
  private readonly where: string;
  private down = false;

  constructor(target: RedisTarget | null, keyPrefix: string) {
    this.where = target === null ? '' : describeRedisTarget(target);
    this.client =
      target === null
        ? null
        : new Redis({
            host: target.host,
            port: target.port,
            db: target.db,
            username: target.username,
            password: target.password,
            ...(target.tls && { tls: { servername: target.host } }),
            keyPrefix,
            enableOfflineQueue: false,
            maxRetriesPerRequest: 0,
            connectTimeout: 2000,
            disconnectTimeout: 500,
            commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
            retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
          });
    this.client?.on('ready', () => this.changed(false));
    this.client?.on('error', (error: Error) => this.changed(true, error, target?.password));
  }

  /** Waits a little for the first connection; starting without it is allowed (see the README). */
  async onModuleInit(): Promise<void> {
    const client = this.client;
    if (client === null) {
      this.logger.log('REDIS_URL is not set: rate limits are counted by this instance alone');
      return;
    }
    const ready = client.status === 'ready' || (await this.firstConnection(client));
    if (ready) {
      this.logger.log(`Rate limits are counted in Redis at ${this.where}, shared by every instance using it`);
    } else if (!this.down) {
      this.logger.warn(
        `Redis at ${this.where} does not answer: not ready, and rate-limited routes answer 503, until it does`,
      );
    }
  }

  private firstConnection(client: Redis): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), START_WAIT_MS);
      client.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  /** PONG within the command timeout, or a short reason (never the URL). */
  async ping(): Promise<{ up: true } | { up: false; reason: string }> {
    if (this.client === null) {
      return { up: false, reason: 'not configured' };
    }
    if (this.client.status !== 'ready') {
      return { up: false, reason: 'not connected' };
    }
    try {
      await this.client.ping();
      return { up: true };
    } catch (error) {
      return { up: false, reason: (error as Error).message };
    }
  }

  onApplicationShutdown(): void {
    this.client?.disconnect(false);
  }

  private changed(down: boolean, error?: Error, password?: string): void {
    if (down === this.down) {
      return;
    }
    this.down = down;
    if (down) {
      const reason = (error?.message ?? 'connection lost').split(password ?? '\0').join('***');
      this.logger.warn(
        `Redis at ${this.where} unreachable (${reason}): rate-limited routes answer 503 until it is back`,
      );
    } else {
      this.logger.log(`Redis at ${this.where} reachable again`);
    }
  }
}
