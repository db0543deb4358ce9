import { Module, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Environment } from '../config/environment';
import { EventWriter } from './event-writer';
import { MemoryService } from './memory.service';
import { StorageHealth } from './storage-health';
import { storeOptions } from './store';

/** Persistence: the only module that imports TypeORM. Schema by migrations, never synchronize. */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) => ({
        ...storeOptions(config.get('DATABASE_PATH', { infer: true })),
        retryAttempts: 0,
      }),
    }),
  ],
  providers: [EventWriter, MemoryService, StorageHealth],
  exports: [MemoryService, StorageHealth],
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
