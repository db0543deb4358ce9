import { BeforeApplicationShutdown, Injectable, Logger, Optional } from '@nestjs/common';
import * as sqlite3 from 'sqlite3';
import { DataSource, QueryRunner } from 'typeorm';
import { v7 as timeOrderedId } from 'uuid';
import { Clock, SystemClock } from '../common/clock';
import { GroupCommitter } from '../common/group-commit';
import { StorageUnavailableError, storageCauseOf } from '../common/storage-fault';
import { TaggedEvent } from '../domain/event';
import { applyObservations } from './actor-profile';
import { ActorProfile } from '../domain/actor';
import { LEDGER_COLUMNS, LEDGER_UPSERT, ledgerRow, PlannedBlockLedger } from './block-ledger';
import {
  ACTOR_COLUMNS,
  actorRow,
  AUDIT_COLUMNS,
  auditRow,
  DECISION_COLUMNS,
  decisionFromRow,
  decisionRow,
  EVENT_COLUMNS,
  eventRow,
  IN_JSON_LIST,
  jsonRowsInsert,
  multiRowInsert,
  observationOf,
  profileFromRow,
  ROWS_PER_STATEMENT,
  VERDICT_COLUMNS,
  verdictRow,
} from './event-rows';
import { mostSevere, NewDecision, StoredDecision } from '../domain/decision';
import { MemoryTx } from './memory-tx';
import { laidOver, NOTHING_PLANNED, PlannedWrites, StoredActor, unrevokedAfter } from './planned-writes';
import { databaseFileOf, ReadConnection, StoreReader, WriteStatements } from './sqlite-connections';
import { diagnoseDirectory, StorageHealth } from './storage-health';
import { ActorEvaluator, ActorOutcome, EvaluationContext, NetworkKeys, RecordResult } from './records';
import { earliestEventTime, evaluationOrder, groupByKey, inForceKeys, isNetworkKey, strongest } from './write-keys';
import { DecisionNotice, FlushReport, WriteObserver } from './write-observer';

interface ActorsWritten {
  outcomes: Map<string, ActorOutcome>;
  /** Every decision the write made, simulated and range ones included. */
  made: StoredDecision[];
  networks: Map<string, NetworkKeys>;
}

interface Judged {
  outcome: ActorOutcome;
  made: StoredDecision[];
}

/**
 * One item of a flush: a request's events, or a job that runs inside the same transaction.
 * Events with their own write time (`at`, a replay's event time) are a flush of their own.
 */
type WriteItem =
  | { events: TaggedEvent[]; at?: Date }
  | {
      job: (tx: MemoryTx) => Promise<unknown>;
      /**
       * The job neither reads nor writes anything a plan reads in a way that matters (a
       * retention purge deletes only rows far older than any window), so later flushes may be
       * planned on top of the flush that carries it, as on one that carries only events.
       */
      overlaps?: boolean;
    };

/** Rows for one table, inserted (or upserted, with `suffix`) in the write transaction. */
interface Insert {
  table: string;
  columns: readonly string[];
  rows: unknown[][];
  suffix?: string;
}

/** A flush worked out: what it writes, and what its requests will be answered once it commits. */
interface WritePlan {
  items: WriteItem[];
  now: Date;
  ids: string[][];
  written: ActorsWritten;
  inserts: Insert[];
  writes: PlannedWrites;
  /** Read through the separate read connection: later flushes may be planned before this one commits. */
  readCommitted: boolean;
  /** How long working it out took (for the write metrics). */
  planMs: number;
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
 * commit): events stored, actor profiles merged and upserted, each touched actor judged and
 * any new decision stored, all committed together before any of those requests is answered.
 *
 * A flush is planned (profiles and decisions in force read, actors judged, rows built) and then
 * persisted (rows written, jobs run, committed). With a database file, plans read through a
 * second, query-only connection, so the next flush is planned while this one is written: it
 * reads the committed state and lays this flush's planned writes on top. Jobs read and write in
 * the transaction itself, so nothing is planned ahead of a flush that has jobs.
 */
@Injectable()
export class EventWriter implements BeforeApplicationShutdown {
  private readonly logger = new Logger(EventWriter.name);
  private evaluator: ActorEvaluator | null = null;
  private pending = 0;
  private readonly committer = new GroupCommitter<WriteItem, WritePlan, unknown>(
    {
      plan: (items, ahead) => this.plan(items, ahead),
      persist: (plan) => this.persist(plan),
      overlaps: (plan) => plan.readCommitted && plan.items.every((item) => 'events' in item || item.overlaps === true),
    },
    (item) => ('job' in item ? 1 : item.at === undefined ? item.events.length : MAX_FLUSH_EVENTS),
    MAX_FLUSH_EVENTS,
    PIPELINE,
  );
  private readConnection: Promise<ReadConnection | null> | null = null;
  private statements: WriteStatements | null = null;
  private closing = false;
  private readonly observers: WriteObserver[] = [];

  private readonly clock: Clock;

  constructor(
    private readonly dataSource: DataSource,
    private readonly storage: StorageHealth,
    @Optional() clock?: Clock,
  ) {
    this.clock = clock ?? new SystemClock();
  }

  useEvaluator(evaluator: ActorEvaluator): void {
    this.evaluator = evaluator;
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
   * Resolves once the events and their consequences are committed. `at`, when given, is the
   * write's time instead of the clock's (a replay writes on event time).
   */
  async record(events: TaggedEvent[], at?: Date): Promise<RecordResult> {
    this.pending += events.length;
    try {
      return (await this.committer.submit({ events, at })) as RecordResult;
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
    const connection = this.closing ? null : await (this.readConnection ??= this.openReader());
    const reader: StoreReader = connection ?? { all: (sql, params) => this.dataSource.query(sql, params) };
    const events = batches.flatMap((batch, b) => batch.map((event, e) => eventRow(ids[b][e], event, now)));
    const pending = laidOver(ahead.map((plan) => plan.writes));
    const actors = await this.planActors(reader, batches.flat(), now, pending);
    return {
      items,
      now,
      ids,
      written: actors.written,
      inserts: [{ table: 'events', columns: EVENT_COLUMNS, rows: events }, ...actors.inserts],
      writes: actors.writes,
      readCommitted: connection !== null,
      planMs: performance.now() - started,
    };
  }

  private async persist(plan: WritePlan): Promise<unknown[]> {
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
        statements.add(this.insertRows(write, insert));
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
    // A job that failed for want of storage rolled back to its savepoint: this commit proves nothing.
    if (!jobResults.some((result) => result instanceof JobFailure && storageCauseOf(result.error) !== null)) {
      this.storage.committed(new Date());
    }
    const persistMs = performance.now() - started;
    this.logger.debug(
      `committed ${eventCount} event(s) from ${plan.ids.length} request(s) in ${Math.round(persistMs)} ms`,
    );
    this.tell({ events: eventCount, items: plan.items.length, planMs: plan.planMs, persistMs, committed: true }, [
      ...plan.written.made.map((decision): DecisionNotice => ({ change: 'created', decision })),
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
          item.events.map((event) => [event.sourceIp, plan.written.outcomes.get(event.sourceIp) as ActorOutcome]),
        ),
        made: this.madeFor(item.events, plan.written),
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
      const tx = new MemoryTx(runner, now);
      try {
        results.push(await item.job(tx));
        await runner.query('RELEASE SAVEPOINT job');
        notices.push(...tx.notices);
      } catch (error) {
        await runner.query('ROLLBACK TO SAVEPOINT job');
        await runner.query('RELEASE SAVEPOINT job');
        results.push(new JobFailure(error));
      }
    }
    return results;
  }

  /** The decisions of `written` on these events' addresses or on networks covering them. */
  private madeFor(events: TaggedEvent[], written: ActorsWritten): StoredDecision[] {
    const values = new Set<string>();
    for (const event of events) {
      values.add(event.sourceIp);
      written.networks.get(event.sourceIp)?.covering.forEach((network) => values.add(network));
    }
    return written.made.filter((decision) => values.has(decision.value));
  }

  /** Judges the actors of these events and builds the rows that record the outcome. */
  private async planActors(
    reader: StoreReader,
    events: TaggedEvent[],
    now: Date,
    pending: PlannedWrites,
  ): Promise<{ written: ActorsWritten; inserts: Insert[]; writes: PlannedWrites }> {
    if (events.length === 0) {
      return { written: { outcomes: new Map(), made: [], networks: new Map() }, inserts: [], writes: NOTHING_PLANNED };
    }
    const evaluator = this.requireEvaluator();
    await evaluator.prepare(events);
    const keys = groupByKey(events, (ip) => evaluator.networksOf(ip));
    const keyList = [...keys.byKey.keys()];
    const [stored, { active, simulated, expired, allows }] = await Promise.all([
      this.loadActors(reader, keyList, pending),
      this.loadInForce(reader, inForceKeys(keys), now, earliestEventTime(events), pending),
    ]);
    const outcomes = new Map<string, ActorOutcome>();
    const made: StoredDecision[] = [];
    const actorRows: unknown[][] = [];
    const verdictRows: unknown[][] = [];
    const auditRows: unknown[][] = [];
    const actorsAfter = new Map<string, StoredActor>();
    for (const key of evaluationOrder(keys)) {
      const keyEvents = keys.byKey.get(key) as TaggedEvent[];
      const previous = stored.get(key);
      const profile: ActorProfile = applyObservations(previous?.profile, key, keyEvents.map(observationOf));
      // An address answers to decisions on its networks too; a network is judged against what
      // its addresses in this write now have, so it decides only when it shows more than they do.
      const inForce = isNetworkKey(key)
        ? strongest([active.get(key), ...(keys.members.get(key) ?? []).map((ip) => outcomes.get(ip)?.decision)])
        : strongest([active.get(key), ...(keys.networks.get(key)?.covering ?? []).map((n) => active.get(n))]);
      const context = {
        since: earliestEventTime(keyEvents),
        simulated: simulated.get(key) ?? null,
        allows,
        expired: [key, ...(keys.networks.get(key)?.covering ?? [])].flatMap((k) => expired.get(k) ?? []),
      };
      const { outcome, made: madeHere } = this.judge(profile, inForce, now, context);
      const verdictChanged =
        previous?.lastLevel !== outcome.verdict.level || previous?.lastScore !== outcome.verdict.score;
      if (verdictChanged || madeHere.length > 0) {
        const verdictId = timeOrderedId();
        verdictRows.push(verdictRow(verdictId, key, outcome.verdict, now));
        for (const decision of madeHere) {
          decision.verdictId = verdictId;
          auditRows.push(auditRow(timeOrderedId(), decision.id, now, decision.createdBy, 'created', decision.reason));
        }
      }
      made.push(...madeHere);
      actorRows.push(actorRow(outcome.actor, outcome.verdict.level, outcome.verdict.score, now));
      actorsAfter.set(key, {
        profile: outcome.actor,
        lastLevel: outcome.verdict.level,
        lastScore: outcome.verdict.score,
      });
      outcomes.set(key, outcome);
    }
    this.coverAddresses(keys.networks, outcomes, made);
    const ledger = new PlannedBlockLedger(reader, now, pending, made);
    const ranges = await this.escalate(evaluator, ledger, made, allows, now);
    for (const range of ranges) {
      auditRows.push(auditRow(timeOrderedId(), range.id, now, range.createdBy, 'created', range.reason));
    }
    made.push(...ranges);
    const updates = ACTOR_COLUMNS.filter((column) => column !== 'ip')
      .map((column) => `${column} = excluded.${column}`)
      .join(', ');
    return {
      written: { outcomes, made, networks: keys.networks },
      inserts: [
        {
          table: 'actors',
          columns: ACTOR_COLUMNS,
          rows: actorRows,
          suffix: ` ON CONFLICT (ip) DO UPDATE SET ${updates}`,
        },
        { table: 'verdicts', columns: VERDICT_COLUMNS, rows: verdictRows },
        { table: 'decisions', columns: DECISION_COLUMNS, rows: made.map(decisionRow) },
        { table: 'decision_audit', columns: AUDIT_COLUMNS, rows: auditRows },
        { table: 'network_blocks', columns: LEDGER_COLUMNS, rows: ledger.notes.map(ledgerRow), suffix: LEDGER_UPSERT },
      ],
      writes: { actors: actorsAfter, decisions: made, ledger: ledger.notes },
    };
  }

  /** An address's answer shows a published decision this write made on a network covering it, if stronger. */
  private coverAddresses(
    networks: Map<string, NetworkKeys>,
    outcomes: Map<string, ActorOutcome>,
    made: StoredDecision[],
  ): void {
    const onNetworks = new Map<string, StoredDecision>();
    for (const decision of made) {
      if (decision.status === 'active' && isNetworkKey(decision.value)) {
        onNetworks.set(decision.value, strongest([onNetworks.get(decision.value), decision]) as StoredDecision);
      }
    }
    if (onNetworks.size === 0) {
      return;
    }
    for (const [ip, keys] of networks) {
      const outcome = outcomes.get(ip);
      if (outcome !== undefined && keys.covering.some((network) => onNetworks.has(network))) {
        outcome.decision = strongest([outcome.decision, ...keys.covering.map((network) => onNetworks.get(network))]);
      }
    }
  }

  /** Range decisions that follow from this write's new blocks, stored in the same transaction. */
  private async escalate(
    evaluator: ActorEvaluator,
    ledger: PlannedBlockLedger,
    made: StoredDecision[],
    allows: StoredDecision[],
    now: Date,
  ): Promise<StoredDecision[]> {
    const blocks = made.filter((decision) => decision.action === 'block' && decision.scope === 'ip');
    if (blocks.length === 0) {
      return [];
    }
    return (await evaluator.escalate(blocks, ledger, allows)).map((decision) =>
      this.toStored(decision, decision.value ?? '', now),
    );
  }

  private requireEvaluator(): ActorEvaluator {
    if (this.evaluator === null) {
      throw new Error('no actor evaluator registered');
    }
    return this.evaluator;
  }

  private toStored(decision: NewDecision, key: string, now: Date): StoredDecision {
    const { scope, value, ...rest } = decision;
    return {
      id: timeOrderedId(),
      scope: scope ?? (isNetworkKey(key) ? 'range' : 'ip'),
      value: value ?? key,
      createdBy: decision.origin,
      ...rest,
      verdictId: null,
      createdAt: now,
      revokedAt: null,
      revokeReason: null,
    };
  }

  /**
   * Judges one key. The answer shows the published decision made now, else a simulated one
   * made now, else what was in force. Only a published block counts as an offence.
   */
  private judge(profile: ActorProfile, inForce: StoredDecision | null, now: Date, context: EvaluationContext): Judged {
    const evaluation = this.requireEvaluator().evaluate(profile, inForce, now, context);
    const made = [evaluation.decision, ...(evaluation.also ?? [])]
      .filter((decision): decision is NewDecision => decision !== null)
      .map((decision) => this.toStored(decision, profile.ip, now));
    const shown = made.find((d) => d.status === 'active') ?? made.find((d) => d.status === 'simulated');
    // Every decision an evaluation makes is on its key, except a host name's blocks, made on the
    // addresses it resolves to: those are its offence too.
    const blocked = made.some((d) => d.action === 'block' && d.status === 'active');
    const actor = blocked ? { ...profile, offenceCount: profile.offenceCount + 1 } : profile;
    return {
      outcome: { actor, verdict: evaluation.verdict, decision: shown ?? inForce, isNew: shown !== undefined },
      made,
    };
  }

  /** Stored actors, with the ones the write being persisted will store laid over them. */
  private async loadActors(
    reader: StoreReader,
    keys: string[],
    pending: PlannedWrites,
  ): Promise<Map<string, StoredActor>> {
    const stored = new Map<string, StoredActor>();
    for (const row of await reader.all(`SELECT * FROM actors WHERE ip ${IN_JSON_LIST}`, [JSON.stringify(keys)])) {
      const loaded = profileFromRow(row);
      stored.set(loaded.profile.ip, loaded);
    }
    for (const key of keys) {
      const planned = pending.actors.get(key);
      if (planned !== undefined) {
        stored.set(key, planned);
      }
    }
    return stored;
  }

  /**
   * Unrevoked decisions on these keys and on any range (few; the ranges covering an address
   * are looked up among them) that were in force at some time from `from` (the write's
   * earliest event) on: those in force now, published and simulated apart, and the published
   * ones that expired meanwhile. Allows are not "in force" against anyone: every active
   * manual allow comes apart, whatever its value. The decisions of the write being persisted
   * count as stored.
   */
  private async loadInForce(reader: StoreReader, keys: string[], now: Date, from: Date, pending: PlannedWrites) {
    const active = new Map<string, StoredDecision>();
    const simulated = new Map<string, StoredDecision>();
    const expired = new Map<string, StoredDecision[]>();
    const since = Math.min(from.getTime(), now.getTime());
    // Status and action are filtered here, not in SQL: with `status = ?` in the WHERE clause
    // SQLite prefers idx_decisions_status and reads every active decision on every write.
    // One statement, one round trip: each branch of the UNION uses its own index.
    const unexpired = 'revoked_at IS NULL AND expires_at > ?';
    const rows = await reader.all(
      `SELECT * FROM decisions WHERE value ${IN_JSON_LIST} AND ${unexpired}
       UNION ALL SELECT * FROM decisions WHERE scope = 'range' AND ${unexpired}
       UNION ALL SELECT * FROM decisions WHERE action = 'allow' AND ${unexpired}`,
      [JSON.stringify(keys), since, since, now.getTime()],
    );
    const found = new Map(rows.map((row) => decisionFromRow(row)).map((d) => [d.id, d]));
    for (const decision of pending.decisions) {
      found.set(decision.id, decision);
    }
    const wanted = new Set(keys);
    const allows: StoredDecision[] = [];
    for (const decision of found.values()) {
      if (decision.action === 'allow') {
        if (decision.status === 'active' && unrevokedAfter(decision, now.getTime())) {
          allows.push(decision);
        }
        continue;
      }
      if (
        !(wanted.has(decision.value) || decision.scope === 'range') ||
        !unrevokedAfter(decision, since) ||
        (decision.status !== 'active' && decision.status !== 'simulated')
      ) {
        continue;
      }
      if (decision.expiresAt <= now) {
        if (decision.status === 'active') {
          expired.set(decision.value, [...(expired.get(decision.value) ?? []), decision]);
        }
        continue;
      }
      const map = decision.status === 'active' ? active : simulated;
      map.set(decision.value, mostSevere(map.get(decision.value), decision));
    }
    return { active, simulated, expired, allows };
  }

  /** Rows inserted a few thousand at a time, each statement's rows bound as one JSON array. */
  private async insertRows(write: WriteStatements, insert: Insert): Promise<void> {
    const suffix = insert.suffix ?? '';
    for (const part of chunks(insert.rows, ROWS_PER_STATEMENT)) {
      const json = JSON.stringify(part);
      if (!alteredBySqlite(json)) {
        await write.run(jsonRowsInsert(insert.table, insert.columns) + suffix, [json]);
        continue;
      }
      // Rare: the rows SQLite's JSON functions would change are bound value by value instead.
      const altered = part.filter((row) => alteredBySqlite(JSON.stringify(row)));
      const intact = part.filter((row) => !altered.includes(row));
      if (intact.length > 0) {
        await write.run(jsonRowsInsert(insert.table, insert.columns) + suffix, [JSON.stringify(intact)]);
      }
      for (const row of altered) {
        await write.run(multiRowInsert(insert.table, insert.columns, 1) + suffix, row);
      }
    }
  }
}
