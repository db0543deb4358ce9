import { Module, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import * as sqlite3 from 'sqlite3';
import { DataSource } from 'typeorm';
import { Environment } from '../config/environment';
import { prepareDatabasePath } from './database-path';
import { ActorEntity } from './entities/actor.entity';
import { DecisionEntity } from './entities/decision.entity';
import { LogEventEntity } from './entities/log-event.entity';
import { VerdictEntity } from './entities/verdict.entity';
import { EventWriter } from './event-writer';
import { MemoryService } from './memory.service';
import { InitialSchema1732435200000 } from './migrations/1732435200000-initial-schema';
import { DecisionStatusAndAudit1732521600000 } from './migrations/1732521600000-decision-status-and-audit';
import { Enforcement1732612345000 } from './migrations/1732612345000-enforcement';
import { NetworkBlockLedger1732608000000 } from './migrations/1732608000000-network-block-ledger';

/**
 * TypeORM calls `sqlite3.verbose()`, which wraps every statement to capture a stack trace
 * (about a tenth of the ingest path's CPU). This hands it the module with `verbose()` a no-op.
 */
function sqlite3WithoutTracing(): typeof sqlite3 {
  return Object.defineProperty(Object.create(sqlite3) as typeof sqlite3, 'verbose', { value: () => sqlite3 });
}

export const ENTITIES = [LogEventEntity, ActorEntity, VerdictEntity, DecisionEntity];
import { EventOriginal1732700000000 } from './migrations/1732700000000-event-original';

export const MIGRATIONS = [
  InitialSchema1732435200000,
  DecisionStatusAndAudit1732521600000,
  NetworkBlockLedger1732608000000,
  Enforcement1732612345000,
  EventOriginal1732700000000,
];

/** Persistence: the only module that imports TypeORM. Schema by migrations, never synchronize. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        type: 'sqlite' as const,
        driver: sqlite3WithoutTracing(),
        database: prepareDatabasePath(config.get('DATABASE_PATH', { infer: true })),
        entities: ENTITIES,
        migrations: MIGRATIONS,
        migrationsRun: true,
        synchronize: false,
        enableWAL: true,
        busyTimeout: 5000,
        logging: false,
        retryAttempts: 0,
      }),
    }),
  ],
  providers: [EventWriter, MemoryService],
  exports: [MemoryService],
})
export class MemoryModule implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * WAL with synchronous=FULL: a commit is on disk (fsync'd) before a request is acknowledged.
   * A 64 MiB page cache keeps the actor and index pages of a busy ingest in memory.
   */
  async onModuleInit(): Promise<void> {
    await this.dataSource.query('PRAGMA synchronous = FULL');
    await this.dataSource.query('PRAGMA cache_size = -65536');
    await this.dataSource.query('PRAGMA temp_store = MEMORY');
  }
}
