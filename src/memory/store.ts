import 'reflect-metadata';
import * as pg from 'pg';
import * as sqlite3 from 'sqlite3';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { prepareDatabasePath } from './database-path';
import { lockKey } from './dialect';
import { ActorEntity } from './entities/actor.entity';
import { DecisionEntity } from './entities/decision.entity';
import { LogEventEntity } from './entities/log-event.entity';
import { VerdictEntity } from './entities/verdict.entity';
import { InitialSchema1732435200000 } from './migrations/1732435200000-initial-schema';
import { DecisionStatusAndAudit1732521600000 } from './migrations/1732521600000-decision-status-and-audit';
import { Enforcement1732612345000 } from './migrations/1732612345000-enforcement';
import { NetworkBlockLedger1732608000000 } from './migrations/1732608000000-network-block-ledger';
import { EventOriginal1732700000000 } from './migrations/1732700000000-event-original';
import { EventIngestSource1733000000000 } from './migrations/1733000000000-event-ingest-source';
import { RetentionAndStorageProbe1733400000000 } from './migrations/1733400000000-retention-and-storage-probe';
import { ActorAuthSessions1733450000000 } from './migrations/1733450000000-actor-auth-sessions';
import { EventsReceivedIndex1733500000000 } from './migrations/1733500000000-events-received-index';
import { EventSignalMatches1733600000000 } from './migrations/1733600000000-event-signal-matches';
import { EventArrival1733700000000 } from './migrations/1733700000000-event-arrival';
import { ActorSignalPaths1733800000000 } from './migrations/1733800000000-actor-signal-paths';
import { ActorKeyWidth1733900000000 } from './migrations/1733900000000-actor-key-width';
import { ReviewClaims1734000000000 } from './migrations/1734000000000-review-claims';

/**
 * TypeORM calls `sqlite3.verbose()`, which wraps every statement to capture a stack trace
 * (about a tenth of the ingest path's CPU). This hands it the module with `verbose()` a no-op.
 */
function sqlite3WithoutTracing(): typeof sqlite3 {
  return Object.defineProperty(Object.create(sqlite3) as typeof sqlite3, 'verbose', { value: () => sqlite3 });
}

export const ENTITIES = [LogEventEntity, ActorEntity, VerdictEntity, DecisionEntity];

export const MIGRATIONS = [
  InitialSchema1732435200000,
  DecisionStatusAndAudit1732521600000,
  NetworkBlockLedger1732608000000,
  Enforcement1732612345000,
  EventOriginal1732700000000,
  EventIngestSource1733000000000,
  RetentionAndStorageProbe1733400000000,
  ActorAuthSessions1733450000000,
  EventsReceivedIndex1733500000000,
  EventSignalMatches1733600000000,
  EventArrival1733700000000,
  ActorSignalPaths1733800000000,
  ActorKeyWidth1733900000000,
  ReviewClaims1734000000000,
];

/** The store at DATABASE_PATH: schema by migrations (run at start-up), never synchronize. */
export function storeOptions(databasePath: string): DataSourceOptions {
  return {
    type: 'sqlite',
    driver: sqlite3WithoutTracing(),
    database: prepareDatabasePath(databasePath),
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    synchronize: false,
    enableWAL: true,
    busyTimeout: 5000,
    logging: false,
  };
}

/** int8 (bigint columns: millisecond times, COUNT) as a JS number: every one Memory stores is below 2^53. */
const INT8_OID = 20;
const parseInt8 = (value: string): number => Number(value);
const storeTypes = {
  getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
    if (oid === INT8_OID && format !== 'binary') {
      return parseInt8;
    }
    return pg.types.getTypeParser(oid, 'text') as (value: string) => unknown;
  },
};

/**
 * The PostgreSQL database at `url` (DATABASE_URL), shared by any number of instances. Its
 * migrations are run by openStore, under an advisory lock, not by TypeORM on initialise: two
 * instances starting together must not both run one. The int8 parser is this pool's own
 * (`types`), not a change to the driver's global defaults.
 */
export function postgresStoreOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    logging: false,
    applicationName: 'soc-triage',
    extra: { types: storeTypes },
  };
}

/** The store the configuration names. */
export function configuredStoreOptions(config: {
  DATABASE_TYPE: 'sqlite' | 'postgres';
  DATABASE_PATH: string;
  DATABASE_URL?: string;
}): DataSourceOptions {
  return config.DATABASE_TYPE === 'postgres'
    ? postgresStoreOptions(config.DATABASE_URL as string)
    : storeOptions(config.DATABASE_PATH);
}

/** A constant advisory-lock key (a signed 64-bit integer) for the migrations of this schema. */
const MIGRATION_LOCK = lockKey('migrations');

/**
 * Opens a store. PostgreSQL: the pending migrations run under a session advisory lock, so that
 * of several instances starting at once one migrates and the others wait, then find nothing
 * left to run.
 */
export async function openStore(options: DataSourceOptions): Promise<DataSource> {
  const dataSource = await new DataSource(options).initialize();
  if (options.type !== 'postgres') {
    return dataSource;
  }
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    }
  } catch (error) {
    await runner.release();
    await dataSource.destroy();
    throw error;
  }
  await runner.release();
  return dataSource;
}
