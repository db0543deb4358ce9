import { Module, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource, DataSourceOptions } from 'typeorm';
import { Environment } from '../config/environment';
import { EventWriter } from './event-writer';
import { MemoryService } from './memory.service';
import { StorageHealth } from './storage-health';
import { configuredStoreOptions, openStore } from './store';

/** Persistence: the only module that imports TypeORM. Schema by migrations, never synchronize. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        ...configuredStoreOptions({
          DATABASE_TYPE: config.get('DATABASE_TYPE', { infer: true }),
          DATABASE_PATH: config.get('DATABASE_PATH', { infer: true }),
          DATABASE_URL: config.get('DATABASE_URL', { infer: true }),
        }),
        retryAttempts: 0,
      }),
      dataSourceFactory: (options) => openStore(options as DataSourceOptions),
    }),
  ],
  providers: [EventWriter, MemoryService, StorageHealth],
  exports: [MemoryService, StorageHealth],
})
export class MemoryModule implements OnModuleInit {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * SQLite: WAL with synchronous=FULL: a commit is on disk (fsync'd) before a request is
   * acknowledged. A 64 MiB page cache keeps the actor and index pages of a busy ingest in memory.
   * (PostgreSQL's own settings, synchronous_commit on by default, give the same promise.)
   */
  async onModuleInit(): Promise<void> {
    if (this.dataSource.options.type !== 'sqlite') {
      return;
    }
    await this.dataSource.query('PRAGMA synchronous = FULL');
    await this.dataSource.query('PRAGMA cache_size = -65536');
    await this.dataSource.query('PRAGMA temp_store = MEMORY');
  }
}
