import { DynamicModule, INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Clock, ManualClock } from '../common/clock';
import { validateEnvironment } from '../config/environment';
import { settingsModule } from '../config/settings.module';
import { DecisionModule } from '../decision/decision.module';
import { Policy } from '../decision/policy';
import { PolicyService } from '../decision/policy.service';
import { loadPolicySettings, PolicySettingsModule } from '../decision/policy-settings';
import { TriageService } from '../decision/triage.service';
import { MemoryModule } from '../memory/memory.module';
import { MemoryService } from '../memory/memory.service';

@Module({})
class ReplayClockModule {
  static with(clock: Clock): DynamicModule {
    return {
      module: ReplayClockModule,
      global: true,
      providers: [{ provide: Clock, useValue: clock }],
      exports: [Clock],
    };
  }
}

/** The production application, without HTTP, on a temporary SQLite file, on event time. */
export interface ReplayApp {
  memory: MemoryService;
  /** Where the replay's events are written (the write path's decision side). */
  triage: TriageService;
  policy: Policy;
  clock: ManualClock;
  /** Its SQLite file, in a directory of its own that `close` removes. */
  database: string;
  close(): Promise<void>;
}

/**
 * Boots the service's own modules without their routes (memory with its migrations, context,
 * heuristic, policy, decisions) as an application context: no listener, no outbound connection
 * (the LLM is the local heuristic), the write clock the latest event time seen. `settings` are
 * environment variables (POLICY_FILE, ALLOWLIST_CIDRS), validated as at start-up.
 */
export async function openReplayApp(
  settings: Record<string, string> = {},
  options: {
    /**
     * Write event and actor rows to the file too, as the service does (for tests that read
     * them back). By default nothing reads them in a replay, and they stay out of it.
     */
    keepRows?: boolean;
  } = {},
): Promise<ReplayApp> {
  // A RAM-backed directory when there is one: the database is thrown away, fsyncs buy nothing.
  const dir = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'soc-replay-'));
  try {
    const database = join(dir, 'replay.sqlite');
    const env = validateEnvironment({
      ...settings,
      // Always its own temporary SQLite file, whatever store the service is configured with.
      DATABASE_TYPE: 'sqlite',
      DATABASE_PATH: database,
      LOG_LEVEL: 'error',
      LLM_PROVIDER: 'mock',
    });
    const clock = new ManualClock();
    const policy = PolicySettingsModule.with(loadPolicySettings(env));
    @Module({ imports: [ReplayClockModule.with(clock), settingsModule(env), policy, MemoryModule, DecisionModule] })
    class ReplayModule {}
    const app: INestApplicationContext = await NestFactory.createApplicationContext(ReplayModule, {
      logger: false,
      abortOnError: false,
    });
    const memory = app.get(MemoryService);
    if (options.keepRows !== true) {
      memory.useThrowawayStore();
    }
    return {
      memory,
      triage: app.get(TriageService, { strict: false }),
      policy: app.get(PolicyService, { strict: false }).policy,
      clock,
      database,
      close: async () => {
        await app.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
