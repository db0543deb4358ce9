import 'reflect-metadata';
import * as sqlite3 from 'sqlite3';
import type { DataSourceOptions } from 'typeorm';
import { prepareDatabasePath } from './database-path';
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
