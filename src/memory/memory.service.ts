import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, DataSourceOptions, EntityTarget, ObjectLiteral, Repository } from 'typeorm';
import { TaggedEvent } from '../domain/event';
import { SignalMatch } from '../domain/signal';
import { ActorProfile } from '../domain/actor';
import { ActorEntity } from './entities/actor.entity';
import { DecisionEntity } from './entities/decision.entity';
import { LogEventEntity } from './entities/log-event.entity';
import { VerdictEntity } from './entities/verdict.entity';
import { dialectOf } from './dialect';
import { EventWriter } from './event-writer';
import { AuditEntry, AuditQuery, DecisionListQuery, StoredFeedback } from './enforcement-records';
import { activeOfAction, auditTrail, decisionList, RunQuery } from './enforcement-queries';
import { decisionTallies, endedDecisions, eventsPerMinute, feedbackFor } from './console-queries';
import { MemoryTx } from './memory-tx';
import { PurgeCutoffs, PurgeStep } from './retention-queries';
import { databaseFileOf } from './sqlite-connections';
import { toActorProfile, toStoredDecision, toStoredVerdict } from './mappers';
import { DecisionAction, mostSevere, StoredDecision } from '../domain/decision';
import { RecordResult } from './records';
import { TriagePlanner } from './triage-plan';
import { StoredVerdict } from '../domain/verdict';
import { WriteObserver } from './write-observer';

export interface StoredEvent {
  id: string;
  eventTime: Date;
  receivedAt: Date;
  eventType: string | null;
  outcome: string;
  signals: string[];
  host: string | null;
  user: string | null;
  message: string | null;
  url: string | null;
  httpMethod: string | null;
  httpStatus: number | null;
  userAgent: string | null;
  sourcePort: number | null;
  original: string | null;
  ingestSource: string | null;
  /** Why each signal was raised: rule id, field, matched text (untrusted, at most 200 characters). */
  matches: SignalMatch[];
}

function matchesOf(json: string | null): SignalMatch[] {
  if (json === null) {
    return [];
  }
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? (parsed as SignalMatch[]) : [];
  } catch {
    return [];
  }
}

/**
 * The connection reads outside a write job go through: a second one, query-only, which in WAL
 * mode sees the last committed state. The write connection would show any read between its
 * statements the rows of the transaction in progress, which may yet roll back. An in-memory
 * database has only its one connection.
 */
async function openReadSource(main: DataSource, logger: Logger): Promise<DataSource> {
  if (databaseFileOf(main) === null) {
    return main;
  }
  const reader = new DataSource({
    ...main.options,
    migrations: [],
    migrationsRun: false,
    synchronize: false,
    enableWAL: false, // the file is in WAL mode already; this connection changes nothing
  } as DataSourceOptions);
  try {
    await reader.initialize();
    await reader.query('PRAGMA query_only = ON');
    return reader;
  } catch (error) {
    logger.warn(`no read connection, reads go through the write connection: ${(error as Error).message}`);
    if (reader.isInitialized) {
      await reader.destroy();
    }
    return main;
  }
}

/** The only door to the database: other modules get plain values, never entities. */
@Injectable()
export class MemoryService implements OnApplicationShutdown {
  private readonly logger = new Logger(MemoryService.name);
  private readSource: Promise<DataSource> | null = null;

  constructor(
    private readonly writer: EventWriter,
    private readonly dataSource: DataSource,
  ) {}

  /** A repository on the read connection (opened on first use). */
  private async read<T extends ObjectLiteral>(entity: EntityTarget<T>): Promise<Repository<T>> {
    return (await (this.readSource ??= openReadSource(this.dataSource, this.logger))).getRepository(entity);
  }

  async onApplicationShutdown(): Promise<void> {
    const reader = await this.readSource;
    this.readSource = null;
    if (reader !== null && reader !== this.dataSource && reader.isInitialized) {
      await reader.destroy();
    }
  }

  /** A replay's store, thrown away at the end: see EventWriter.useThrowawayStore. */
  useThrowawayStore(): void {
    this.writer.useThrowawayStore();
  }

  /**
   * Runs a write job inside the serialised write transaction (with ingest's group commit).
   * Use it for every change to decisions or actors outside ingest: what the job reads cannot
   * change before it writes, and its audit rows commit with it.
   */
  transact<R>(job: (tx: MemoryTx) => Promise<R>): Promise<R> {
    return this.writer.transact(job);
  }

  /**
   * One bounded batch of a retention step (see retention-queries.ts), in the write transaction,
   * without holding back the planning of the flushes after it; how many rows went.
   */
  purge(step: PurgeStep, cutoffs: PurgeCutoffs, limit: number): Promise<number> {
    return this.writer.transact((tx) => tx.purge(step, cutoffs, limit), { overlaps: true });
  }

  /** A small write that commits only if the store can grow (see MemoryTx.probeStorage). */
  probeStorage(): Promise<void> {
    return this.writer.transact((tx) => tx.probeStorage());
  }

  /** Events submitted and not yet committed (for backpressure). */
  get pendingWrites(): number {
    return this.writer.pendingEvents;
  }

  /** Requests and jobs waiting to be taken into a flush of the write path. */
  get waitingWrites(): number {
    return this.writer.waitingItems;
  }

  /** Tells `observer` about every flush and every committed decision, after the fact. */
  observeWrites(observer: WriteObserver): void {
    this.writer.observe(observer);
  }

  /**
   * Stores events durably (group commit) with what `planner` makes of their actors, in one
   * transaction; resolves after the commit. `at` is the write's time when it is not the
   * clock's (a replay writes on event time). Called by the decision side (TriageService).
   */
  recordEvents(events: TaggedEvent[], planner: TriagePlanner, at?: Date): Promise<RecordResult> {
    return this.writer.record(events, planner, at);
  }

  async getActor(ip: string): Promise<ActorProfile | null> {
    const row = await (await this.read(ActorEntity)).findOne({ where: { ip } });
    return row === null ? null : toActorProfile(row);
  }

  async recentEvents(ip: string, limit: number): Promise<StoredEvent[]> {
    const events = await this.read(LogEventEntity);
    const rows = await events.find({ where: { actorIp: ip }, order: { eventTime: 'DESC' }, take: limit });
    return rows.map((row) => ({
      id: row.id,
      eventTime: row.eventTime,
      receivedAt: row.receivedAt,
      eventType: row.eventType,
      outcome: row.outcome,
      signals: row.signals === '' ? [] : row.signals.split(','),
      host: row.host,
      user: row.userName,
      message: row.message,
      url: row.url,
      httpMethod: row.httpMethod,
      httpStatus: row.httpStatus,
      userAgent: row.userAgent,
      sourcePort: row.sourcePort,
      original: row.original,
      ingestSource: row.ingestSource,
      matches: matchesOf(row.signalMatches),
    }));
  }

  async verdictsFor(ip: string, limit: number): Promise<StoredVerdict[]> {
    const verdicts = await this.read(VerdictEntity);
    const rows = await verdicts.find({ where: { actorIp: ip }, order: { createdAt: 'DESC' }, take: limit });
    return rows.map(toStoredVerdict);
  }

  async decisionsFor(ip: string, limit: number): Promise<StoredDecision[]> {
    const decisions = await this.read(DecisionEntity);
    const rows = await decisions.find({ where: { value: ip }, order: { createdAt: 'DESC' }, take: limit });
    return rows.map(toStoredDecision);
  }

  /** The most severe unexpired, unrevoked decision among `decisions`. */
  inForce(decisions: StoredDecision[], now: Date): StoredDecision | null {
    return (
      decisions
        .filter((d) => d.status === 'active' && d.revokedAt === null && d.expiresAt > now)
        .reduce<StoredDecision | undefined>((best, d) => mostSevere(best, d), undefined) ?? null
    );
  }

  /** Decisions of one status, newest first: in force only, or every one ever made. */
  async listDecisions(query: DecisionListQuery): Promise<{ total: number; items: StoredDecision[] }> {
    const [rows, total] = await decisionList(await this.read(DecisionEntity), query).getManyAndCount();
    return { total, items: rows.map(toStoredDecision) };
  }

  /** Active decisions of one action in force at `now` (e.g. every ban, every manual allow). */
  inForceOfAction(action: DecisionAction, now: Date): Promise<StoredDecision[]> {
    return activeOfAction(this.runQuery, action, now);
  }

  auditTrail(query: AuditQuery): Promise<{ total: number; items: AuditEntry[] }> {
    return auditTrail(this.runQuery, query);
  }

  /** Events received since `since`, per minute and event type (the console's overview). */
  eventsPerMinute(since: Date): ReturnType<typeof eventsPerMinute> {
    return eventsPerMinute(this.runQuery, since);
  }

  /** Decisions not ended at `now` by action, rule and status (the console's overview). */
  decisionTallies(now: Date): ReturnType<typeof decisionTallies> {
    return decisionTallies(this.runQuery, now);
  }

  /** Published decisions that have ended (expired or revoked), newest first. */
  endedDecisions(filter: Parameters<typeof endedDecisions>[1]): ReturnType<typeof endedDecisions> {
    return endedDecisions(this.runQuery, filter);
  }

  feedbackFor(ip: string, limit: number): Promise<StoredFeedback[]> {
    return feedbackFor(this.runQuery, ip, limit);
  }

  private readonly runQuery: RunQuery = async (sql, parameters) =>
    (await this.read(DecisionEntity)).manager.query(dialectOf(this.dataSource).sql(sql), parameters);
}
