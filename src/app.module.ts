import { DynamicModule, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { AuthFailureLimiter } from './common/auth/auth-failures';
import { ClientThrottlerGuard, ingestLimit } from './common/auth/client-throttler.guard';
import { CredentialGuard } from './common/auth/credential.guard';
import { ConsoleModule } from './console/console.module';
import { SlidingWindowThrottlerStorage } from './common/auth/sliding-window.storage';
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
import { RetentionModule } from './memory/retention.module';
import { MetricsApiModule } from './metrics/metrics-api.module';
import { NotifyModule } from './notify/notify.module';
import { SyslogModule } from './syslog/syslog.module';

@Module({})
export class AppModule {
  /** `env` is already validated (see main.ts); ConfigModule serves it to every module. */
  static forRoot(env: Environment, options: { jsonLogs?: boolean } = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ...(options.jsonLogs === true ? [jsonLoggingModule(env)] : []),
        settingsModule(env),
        // The policy file and ALLOWLIST_CIDRS, read once; a bad one stops the start here.
        PolicySettingsModule.with(loadPolicySettings(env)),
        ThrottlerModule.forRoot({
          throttlers: [{ name: 'default', ttl: 60_000, limit: ingestLimit(env.INGEST_RATE_LIMIT) }],
          storage: new SlidingWindowThrottlerStorage(),
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
      ],
    };
  }
}
