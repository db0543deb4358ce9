import { Module, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
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

export const ENTITIES = [LogEventEntity, ActorEntity, VerdictEntity, DecisionEntity];
export const MIGRATIONS = [InitialSchema1732435200000];

/** Persistence: the only module that imports TypeORM. Schema by migrations, never synchronize. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        type: 'sqlite' as const,
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
    TypeOrmModule.forFeature(ENTITIES),
  ],
  providers: [EventWriter, MemoryService],
  exports: [MemoryService],
})
export class MemoryModule implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  /** WAL with synchronous=FULL: a commit is on disk (fsync'd) before a request is acknowledged. */
  async onModuleInit(): Promise<void> {
    await this.dataSource.query('PRAGMA synchronous = FULL');
  }
}
