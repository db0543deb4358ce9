import { BeforeApplicationShutdown, Injectable, Logger, Optional } from '@nestjs/common';
import * as sqlite3 from 'sqlite3';
import { DataSource, QueryRunner } from 'typeorm';
import { v7 as timeOrderedId } from 'uuid';
import { Clock, SystemClock } from '../common/clock';
import { GroupCommitter } from '../common/group-commit';
import { StorageUnavailableError, storageCauseOf } from '../common/storage-fault';
import { TaggedEvent } from '../domain/event';
import { Dialect, dialectOf, lockStatement } from './dialect';
import { EVENT_COLUMNS, eventRow, multiRowInsert, ROWS_PER_STATEMENT } from './event-rows';
import { StoredDecision } from '../domain/decision';
import { MemoryTx } from './memory-tx';
import { laidOver, NOTHING_PLANNED, PlannedWrites, StoredActor } from './planned-writes';
import { databaseFileOf, ReadConnection, StoreReader, WriteStatements } from './sqlite-connections';
import { diagnoseDirectory, StorageHealth } from './storage-health';
import { ActorOutcome, RecordResult } from './records';
import { NOTHING_DECIDED, TriagePlan, TriagePlanner } from './triage-plan';
import { Insert, triageRows } from './triage-rows';
import { PlannedTriageStore } from './triage-store';
import { DecisionNotice, FlushReport, WriteObserver } from './write-observer';

/**
 * One item of a flush: a request's events with the planner of their triage, or a job that runs
 * inside the same transaction. Events with their own write time (`at`, a replay's event time)
 * are a flush of their own; events with another planner than the flush's wait for the next.
 */
type WriteItem =
  | { events: TaggedEvent[]; planner: TriagePlanner; at?: Date }
  | {
      job: (tx: MemoryTx) => Promise<unknown>;
      /**
       * The job neither reads nor writes anything a plan reads in a way that matters (a
       * retention purge deletes only rows far older than any window), so later flushes may be
       * planned on top of the flush that carries it, as on one that carries only events.
       */
      overlaps?: boolean;
    };

/** A flush worked out: what it writes, and what its requests will be answered once it commits. */
interface WritePlan {
  items: WriteItem[];
  now: Date;
  ids: string[][];
  triage: TriagePlan;
  inserts: Insert[];
  writes: PlannedWrites;
  /** Read through the separate read connection: later flushes may be planned before this one commits. */
  readCommitted: boolean;
  /** How long working it out took (for the write metrics). */
  planMs: number;
  /**
   * Not planned yet: on PostgreSQL a flush is planned inside its own transaction, under the
   * advisory locks of the keys it touches, because other instances write the same tables.
   */
  inTransaction: boolean;
}

/** The planner of a flush's events (they share one, see WriteItem); null for a flush of jobs only. */
function plannerOf(items: readonly WriteItem[]): TriagePlanner | null {
  const first = items.find((item) => 'events' in item);
  return first === undefined ? null : first.planner;
}

/** PostgreSQL errors after which the whole flush is run again: a deadlock, a serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const MAX_ATTEMPTS = 5;

function retryable(error: unknown): boolean {
  const failure = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = failure?.driverError?.code ?? failure?.code;
  return typeof code === 'string' && RETRYABLE.has(code);
}

/**
 * JSON text that SQLite's JSON functions would not give back as it was: they cut a string at
 * an escaped NUL, and turn an escaped lone surrogate into three U+FFFD where binding gives one.
 * (A false match, a literal backslash before `u0000`, only takes the slower, exact path.)
 */
const JSON_TEXT_SQLITE_ALTERS = /\\u0000|\\ud[89a-f]/;

/** JSON_TEXT_SQLITE_ALTERS, with a cheap look first (JSON.stringify writes these escapes in lower case). */
const alteredBySqlite = (json: string): boolean =>
  (json.includes('\\u0000') || json.includes('\\ud')) && JSON_TEXT_SQLITE_ALTERS.test(json);

/** Flushes planned and not yet committed, at most: one being written, the others planned on top of it. */
const PIPELINE = 4;

/** Weight of a flush's worth of events; an item of this weight is flushed alone. */
const MAX_FLUSH_EVENTS = 20_000;

/**
 * Statements started inside one transaction and not awaited one by one (node-sqlite3 runs them
 * on its own threads, one at a time on the connection, in no promised order): the tables they
 * write are independent. Every one has settled before the transaction commits or rolls back.
 */
class InFlight {
  private started: Promise<unknown>[] = [];

  add(statement: Promise<unknown>): void {
    // Observed at once, reported by settle(): never an unhandled rejection.
    statement.catch(() => undefined);
    this.started.push(statement);
  }

  /** Waits for every statement started so far; rethrows the first failure. */
  async settle(): Promise<void> {
    const started = this.started;
    this.started = [];
    const failed = (await Promise.allSettled(started)).find((result) => result.status === 'rejected');
    if (failed !== undefined) {
      throw failed.reason;
    }
  }
}

function describeFault(fault: StorageUnavailableError, file: string | null): string {
  return `${fault.storageCause}${fault.detail === null ? '' : ` (${fault.detail}: ${file})`}: ${fault.message}`;
}

/** A job's failure is its own: it is rolled back to its savepoint and reported to it alone. */
class JobFailure {
  constructor(readonly error: unknown) {}
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/**
 * The write path. Concurrent requests' events go into one transaction per flush (group
 * commit): events stored, and what their triage planner (handed in with them: the decision
 * side's) made of their actors (profiles, verdicts, decisions, audit, ledger notes), all
 * committed together before any of those requests is answered.
 *
 * A flush is planned (events' rows built, the planner's plan made through a TriageStore, the
 * plan turned into rows) and then persisted (rows written, jobs run, committed). With a
 * database file, plans read through a second, query-only connection, so the next flush is
 * planned while this one is written: it reads the committed state and lays this flush's planned
 * writes on top. Jobs read and write in the transaction itself, so nothing is planned ahead of a
 * flush that has jobs. On PostgreSQL, where other instances write too, a flush is planned inside
 * its own transaction under the advisory locks of its keys (the planner names them) instead
 * (persistShared; docs/ARCHITECTURE.md, Storage).
 */
@Injectable()
export class EventWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(EventWriter.name);
  private pending = 0;
  private readonly committer = new GroupCommitter<WriteItem, WritePlan, unknown>(
    {
      plan: (items, ahead) => this.plan(items, ahead),
      persist: (plan) => this.persist(plan),
      overlaps: (plan) => plan.readCommitted && plan.items.every((item) => 'events' in item || item.overlaps === true),
      flushKey: (item) => ('events' in item ? item.planner : undefined),
      // PostgreSQL: each flush of events plans in its own transaction under its keys' locks,
      // so several run side by side (on as many pooled connections); a flush with jobs runs alone.
      independent: (plan) => plan.inTransaction && plan.items.every((item) => 'events' in item),
    },
    (item) => ('job' in item ? 1 : item.at === undefined ? item.events.length : MAX_FLUSH_EVENTS),
    MAX_FLUSH_EVENTS,
    PIPELINE,
  );
  private readConnection: Promise<ReadConnection | null> | null = null;
  private statements: WriteStatements | null = null;
  private closing = false;
  private readonly observers: WriteObserver[] = [];
  /**
   * With a throwaway store (a replay's): the actors as committed, kept here instead of in the
   * `actors` table; null when actors live in the database (the service).
   */
  private actorsInMemory: Map<string, StoredActor> | null = null;

  private readonly clock: Clock;
  private readonly dialect: Dialect;

  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: StorageHealth,
    @Optional() clock?: Clock,
  ) {
    this.clock = clock ?? new SystemClock();
    this.dialect = dialectOf(dataSource);
  }

  /**
   * For a store thrown away at the end (a replay's): no event rows are written and actor
   * profiles are kept in this process's memory instead of the `actors` table, so that a flush
   * neither reads, parses nor serialises them. Nothing reads either back from the database
   * there; decisions, verdicts, their audit and the range ledger are stored as usual. Only for
   * SQLite, where this process is the only writer. Call it before the first write.
   */
  useThrowawayStore(): void {
    if (this.dialect.type !== 'sqlite') {
      throw new Error('a throwaway store is a SQLite file of this process alone');
    }
    this.actorsInMemory = new Map();
  }

  /** Adds an observer told about each flush and each committed decision (see WriteObserver). */
  observe(observer: WriteObserver): void {
    this.observers.push(observer);
  }

  /** Requests and jobs waiting to be taken into a flush. */
  get waitingItems(): number {
    return this.committer.depth;
  }

  /**
   * Resolves once the events and what `planner` makes of them are committed. `at`, when given,
   * is the write's time instead of the clock's (a replay writes on event time).
   */
  async record(events: TaggedEvent[], planner: TriagePlanner, at?: Date): Promise<RecordResult> {
    this.pending += events.length;
    try {
      return (await this.committer.submit({ events, planner, at })) as RecordResult;
    } finally {
      this.pending -= events.length;
    }
  }

  /**
   * Runs `job` inside the next write transaction, serialised with ingest, so that what it
   * reads cannot change before it writes. Resolves after the commit with the job's result.
   */
  async transact<R>(job: (tx: MemoryTx) => Promise<R>, options: { overlaps?: boolean } = {}): Promise<R> {
    const result = await this.committer.submit({ job, overlaps: options.overlaps });
    if (result instanceof JobFailure) {
      throw (await this.storageFault(result.error)) ?? result.error;
    }
    return result as R;
  }

  /** Events submitted and not yet committed. */
  get pendingEvents(): number {
    return this.pending;
  }

  /**
   * Before the database closes (on application shutdown): the last writes, then the statements
   * and the read connection. A write that still arrives (the HTTP server closes after this) is
   * planned on the write connection and finalizes its own statements.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closing = true;
    await this.committer.drain();
    await this.statements?.finalize();
    this.statements = null;
    const connection = await this.readConnection;
    this.readConnection = null;
    await connection?.close();
  }

  /** The query-only connection, opened on first use; null for an in-memory database. */
  private openReader(): Promise<ReadConnection | null> {
    const database = databaseFileOf(this.dataSource);
    if (database === null) {
      return Promise.resolve(null);
    }
    return ReadConnection.open(database).catch((error: unknown) => {
      this.logger.warn(`no read connection, writes are planned one at a time: ${(error as Error).message}`);
      return null;
    });
  }

  /**
   * A StorageUnavailableError for an error that says the store cannot take writes (disk full,
   * read-only), with what the file system says; marks the store unavailable. Null otherwise.
   */
  private async storageFault(error: unknown): Promise<StorageUnavailableError | null> {
    const cause = storageCauseOf(error);
    if (cause === null) {
      return null;
    }
    if (error instanceof StorageUnavailableError) {
      return error;
    }
    const os = await diagnoseDirectory(databaseFileOf(this.dataSource));
    this.storage.failed(os?.code ?? cause, os?.text ?? null, new Date());
    return new StorageUnavailableError(cause, os?.text ?? null);
  }

  /** Works out a flush; `ahead` are the flushes planned before it and not yet committed. */
  private async plan(items: WriteItem[], ahead: readonly WritePlan[]): Promise<WritePlan> {
    const started = performance.now();
    const times = items.flatMap((item) => ('events' in item && item.at !== undefined ? [item.at.getTime()] : []));
    const now = times.length > 0 ? new Date(Math.max(...times)) : this.clock.now();
    const batches = items.flatMap((item) => ('events' in item ? [item.events] : []));
    const ids = batches.map((events) => events.map(() => timeOrderedId()));
    if (this.dialect.type === 'postgres') {
      return {
        items,
        now,
        ids,
        triage: NOTHING_DECIDED,
        inserts: [],
        writes: NOTHING_PLANNED,
        readCommitted: false,
        planMs: 0,
        inTransaction: true,
      };
    }
    const connection = this.closing ? null : await (this.readConnection ??= this.openReader());
    const reader: StoreReader = connection ?? {
      dialect: this.dialect,
      all: (sql, params) => this.dataSource.query(sql, params),
    };
    const planned = await this.planOn(reader, items, now, ids, laidOver(ahead.map((plan) => plan.writes)));
    return { ...planned, readCommitted: connection !== null, planMs: performance.now() - started };
  }

  /** The rows of a flush and what its requests will be answered, from what `reader` shows. */
  private async planOn(
    reader: StoreReader,
    items: WriteItem[],
    now: Date,
    ids: string[][],
    pending: PlannedWrites,
  ): Promise<Omit<WritePlan, 'readCommitted' | 'planMs'>> {
    const batches = items.flatMap((item) => ('events' in item ? [item.events] : []));
    const kept = this.actorsInMemory;
    const events =
      kept === null
        ? [
            {
              table: 'events',
              columns: EVENT_COLUMNS,
              rows: batches.flatMap((batch, b) => batch.map((event, e) => eventRow(ids[b][e], event, now))),
            },
          ]
        : [];
    const all = batches.flat();
    const planner = plannerOf(items);
    const triage =
      planner === null || all.length === 0
        ? NOTHING_DECIDED
        : await planner.plan(new PlannedTriageStore(reader, pending, kept), all, now);
    const rows =
      triage === NOTHING_DECIDED
        ? { inserts: [], writes: NOTHING_PLANNED }
        : triageRows(triage, now, this.dialect, { actorRows: kept === null });
    return {
      items,
      now,
      ids,
      triage,
      inserts: [...events, ...rows.inserts],
      writes: rows.writes,
      inTransaction: false,
    };
  }

  private async persist(plan: WritePlan): Promise<unknown[]> {
    if (plan.inTransaction) {
      return this.persistShared(plan);
    }
    const started = performance.now();
    const eventCount = plan.ids.reduce((sum, ids) => sum + ids.length, 0);
    const notices: DecisionNotice[] = [];
    const runner = this.dataSource.createQueryRunner();
    const write = (this.statements ??= new WriteStatements((await runner.connect()) as sqlite3.Database));
    await write.exec('BEGIN');
    let jobResults: unknown[];
    const statements = new InFlight();
    try {
      for (const insert of plan.inserts) {
        statements.add(this.insertRows((sql, params) => write.run(sql, params), insert));
      }
      await statements.settle();
      jobResults = await this.runJobs(runner, plan.items, plan.now, notices);
      await write.exec('COMMIT');
    } catch (error) {
      // No statement may run after the rollback: it would run outside the transaction.
      await statements.settle().catch(() => undefined);
      // SQLite rolls a transaction back by itself on some errors (SQLITE_FULL at commit): then
      // ROLLBACK fails with "no transaction is active", which must not hide the first error.
      await write.exec('ROLLBACK').catch(() => undefined);
      const fault = await this.storageFault(error);
      this.logger.error(
        `write of ${eventCount} event(s) and ${plan.items.length - plan.ids.length} job(s) rolled back, none ` +
          `acknowledged: ${fault === null ? (error as Error).message : describeFault(fault, databaseFileOf(this.dataSource))}`,
      );
      this.tell({ events: eventCount, items: plan.items.length, planMs: plan.planMs, persistMs: 0, committed: false });
      throw fault ?? error;
    } finally {
      await runner.release();
      if (this.closing) {
        await this.statements?.finalize();
        this.statements = null;
      }
    }
    return this.committed(plan, jobResults, notices, started);
  }

  /**
   * PostgreSQL, where other instances write the same tables: one transaction that locks every
   * key its events count under (addresses and networks, see lockStatement), plans through
   * itself what those keys have committed, writes, runs its jobs (which lock what they touch)
   * and commits. A deadlock or serialization failure runs the whole flush again.
   */
  private async persistShared(deferred: WritePlan): Promise<unknown[]> {
    const started = performance.now();
    const eventCount = deferred.ids.reduce((sum, ids) => sum + ids.length, 0);
    for (let attempt = 1; ; attempt++) {
      const notices: DecisionNotice[] = [];
      const runner = this.dataSource.createQueryRunner();
      let plan = deferred;
      try {
        await runner.query('BEGIN');
        const query = (sql: string, params: unknown[]): Promise<Record<string, unknown>[]> =>
          runner.query(this.dialect.sql(sql), params) as Promise<Record<string, unknown>[]>;
        const events = deferred.items.flatMap((item) => ('events' in item ? item.events : []));
        const locks = lockStatement(plannerOf(deferred.items)?.keysOf(events) ?? new Set<string>());
        if (locks !== null) {
          await runner.query(locks.sql, locks.parameters);
        }
        const reader: StoreReader = { dialect: this.dialect, all: query };
        plan = {
          ...(await this.planOn(reader, deferred.items, deferred.now, deferred.ids, NOTHING_PLANNED)),
          readCommitted: false,
          planMs: performance.now() - started,
        };
        for (const insert of plan.inserts) {
          await this.insertRows(query, insert);
        }
        const jobResults = await this.runJobs(runner, plan.items, plan.now, notices);
        await runner.query('COMMIT');
        return this.committed(plan, jobResults, notices, started);
      } catch (error) {
        await runner.query('ROLLBACK').catch(() => undefined);
        if (retryable(error) && attempt < MAX_ATTEMPTS) {
          this.logger.warn(`write of ${eventCount} event(s) met another instance's (${attempt}), run again`);
          continue;
        }
        const fault = await this.storageFault(error);
        this.logger.error(
          `write of ${eventCount} event(s) and ${plan.items.length - plan.ids.length} job(s) rolled back, none ` +
            `acknowledged: ${fault === null ? (error as Error).message : describeFault(fault, null)}`,
        );
        this.tell({
          events: eventCount,
          items: plan.items.length,
          planMs: plan.planMs,
          persistMs: 0,
          committed: false,
        });
        throw fault ?? error;
      } finally {
        await runner.release();
      }
    }
  }

  /** After the commit: health, metrics, observers, and each item's answer. */
  private committed(plan: WritePlan, jobResults: unknown[], notices: DecisionNotice[], started: number): unknown[] {
    const eventCount = plan.ids.reduce((sum, ids) => sum + ids.length, 0);
    if (this.actorsInMemory !== null) {
      for (const [key, actor] of plan.writes.actors) {
        this.actorsInMemory.set(key, actor);
      }
    }
    // A job that failed for want of storage rolled back to its savepoint: this commit proves nothing.
    if (!jobResults.some((result) => result instanceof JobFailure && storageCauseOf(result.error) !== null)) {
      this.storage.committed(new Date());
    }
    const persistMs = performance.now() - started;
    this.logger.debug(
      `committed ${eventCount} event(s) from ${plan.ids.length} request(s) in ${Math.round(persistMs)} ms`,
    );
    this.tell({ events: eventCount, items: plan.items.length, planMs: plan.planMs, persistMs, committed: true }, [
      ...plan.triage.decisions.map((decision): DecisionNotice => ({ change: 'created', decision })),
      ...notices,
    ]);
    let batch = 0;
    let job = 0;
    return plan.items.map((item) => {
      if (!('events' in item)) {
        return jobResults[job++];
      }
      const index = batch++;
      return {
        eventIds: plan.ids[index],
        actors: new Map(
          item.events.map((event) => [event.sourceIp, plan.triage.outcomes.get(event.sourceIp) as ActorOutcome]),
        ),
        made: this.madeFor(item.events, plan.triage),
      };
    });
  }

  /** Tells the observers about a flush after it ended; an observer's failure stays its own. */
  private tell(report: FlushReport, notices: DecisionNotice[] = []): void {
    for (const observer of this.observers) {
      try {
        observer.flushed?.(report);
        if (notices.length > 0) {
          observer.decided?.(notices);
        }
      } catch (error) {
        this.logger.warn(`a write observer failed: ${(error as Error).message}`);
      }
    }
  }

  private async runJobs(
    runner: QueryRunner,
    items: WriteItem[],
    now: Date,
    notices: DecisionNotice[],
  ): Promise<unknown[]> {
    const results: unknown[] = [];
    for (const item of items) {
      if ('events' in item) {
        continue;
      }
      await runner.query('SAVEPOINT job');
      const tx = new MemoryTx(runner, now, this.dialect);
      try {
        results.push(await item.job(tx));
        await runner.query('RELEASE SAVEPOINT job');
        notices.push(...tx.notices);
      } catch (error) {
        if (retryable(error)) {
          throw error; // the whole flush runs again (PostgreSQL)
        }
        await runner.query('ROLLBACK TO SAVEPOINT job');
        await runner.query('RELEASE SAVEPOINT job');
        results.push(new JobFailure(error));
      }
    }
    return results;
  }

  /** The decisions of `triage` on these events' addresses or on networks covering them. */
  private madeFor(events: TaggedEvent[], triage: TriagePlan): StoredDecision[] {
    const values = new Set<string>();
    for (const event of events) {
      values.add(event.sourceIp);
      triage.networks.get(event.sourceIp)?.covering.forEach((network) => values.add(network));
    }
    return triage.decisions.filter((decision) => values.has(decision.value));
  }

  /**
   * Rows inserted a few thousand at a time, each statement's rows bound as one JSON parameter.
   * (PostgreSQL's JSON input refuses the same escapes SQLite's would alter: those rows too are
   * bound value by value.)
   */
  private async insertRows(run: (sql: string, params: unknown[]) => Promise<unknown>, insert: Insert): Promise<void> {
    const suffix = insert.suffix ?? '';
    const { dialect } = this;
    const jsonInsert = this.dialect.sql(dialect.jsonRowsInsert(insert.table, insert.columns) + suffix);
    for (const part of chunks(insert.rows, ROWS_PER_STATEMENT)) {
      const json = dialect.jsonRows(insert.columns, part);
      if (!alteredBySqlite(json)) {
        await run(jsonInsert, [json]);
        continue;
      }
      // Rare: the rows SQLite's JSON functions would change are bound value by value instead.
      const altered = part.filter((row) => alteredBySqlite(JSON.stringify(row)));
      const intact = part.filter((row) => !altered.includes(row));
      if (intact.length > 0) {
        await run(jsonInsert, [dialect.jsonRows(insert.columns, intact)]);
      }
      for (const row of altered) {
        await run(dialect.sql(multiRowInsert(insert.table, insert.columns, 1) + suffix), dialect.storable(row));
      }
    }
  }
}
