import { DynamicModule, Module, OnApplicationShutdown, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { AuthFailureLimiter } from './common/auth/auth-failures';
import { ClientThrottlerGuard, ingestLimit } from './common/auth/client-throttler.guard';
import { CredentialGuard } from './common/auth/credential.guard';
import { ConsoleModule } from './console/console.module';
import { RedisThrottlerStorage } from './common/auth/redis-throttler.storage';
import { SlidingWindowThrottlerStorage } from './common/auth/sliding-window.storage';
import { RedisModule } from './common/redis/redis.module';
import { SharedRedis } from './common/redis/shared-redis';
import { jsonLoggingModule } from './common/logging/logging';
import { Environment } from './config/environment';
import { settingsModule } from './config/settings.module';
import { ContextApiModule } from './context/context-api.module';
import { DecisionApiModule } from './decision/decision-api.module';
import { loadPolicySettings, PolicySettingsModule } from './decision/policy-settings';
import { ExplainModule } from './explain/explain.module';
import { HealthModule } from './health/health.module';
import { IngestModule } from './ingest/ingest.module';
import { LlmModule } from './llm/llm.module';
import { MemoryModule } from './memory/memory.module';
import { SqliteInstanceLock } from './memory/sqlite-instance-lock';
import { RetentionModule } from './memory/retention.module';
import { MetricsApiModule } from './metrics/metrics-api.module';
import { NotifyModule } from './notify/notify.module';
import { SyslogModule } from './syslog/syslog.module';

/** Releases the store's instance lock after every module has closed (AppModule's hooks run last). */
class InstanceLockRelease implements OnApplicationShutdown {
  constructor(private readonly lock: SqliteInstanceLock) {}

  onApplicationShutdown(): Promise<void> {
    return this.lock.release();
  }
}

@Module({})
export class AppModule {
  /**
   * `env` is already validated (see main.ts); ConfigModule serves it to every module.
   * `instanceLock` (the SQLite store's, taken by createApp) is released when the application closes.
   */
  static forRoot(
    env: Environment,
    options: { jsonLogs?: boolean; instanceLock?: SqliteInstanceLock | null } = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...(options.jsonLogs === true ? [jsonLoggingModule(env)] : []),
        settingsModule(env),
        // The policy file and ALLOWLIST_CIDRS, read once; a bad one stops the start here.
        PolicySettingsModule.with(loadPolicySettings(env)),
        ThrottlerModule.forRootAsync({
          imports: [RedisModule],
          inject: [SharedRedis],
          // With REDIS_URL every instance counts against the same budget; without, each counts alone.
          useFactory: (redis: SharedRedis) => ({
            throttlers: [{ name: 'default', ttl: 60_000, limit: ingestLimit(env.INGEST_RATE_LIMIT) }],
            storage:
              redis.client === null ? new SlidingWindowThrottlerStorage() : new RedisThrottlerStorage(redis.client),
          }),
        }),
        MemoryModule,
        RetentionModule,
        IngestModule,
        ContextApiModule,
        LlmModule,
        DecisionApiModule,
        ExplainModule,
        HealthModule,
        MetricsApiModule,
        NotifyModule,
        SyslogModule,
        ConsoleModule,
      ],
      providers: [
        // Order matters: credentials first (failed ones are throttled by AuthFailureLimiter before
        // any comparison), then the rate limit, whose budget depends on the ingest token.
        AuthFailureLimiter,
        { provide: APP_GUARD, useClass: CredentialGuard },
        { provide: APP_GUARD, useClass: ClientThrottlerGuard },
        { provide: APP_PIPE, useValue: new ValidationPipe({ transform: true, forbidUnknownValues: true }) },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
        ...(options.instanceLock
          ? [{ provide: InstanceLockRelease, useValue: new InstanceLockRelease(options.instanceLock) }]
          : []),
      ],
    };
  }
}
