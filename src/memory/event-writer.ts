import { Injectable, Logger, OnApplicationShutdown, Optional } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { v7 as timeOrderedId } from 'uuid';
import { Clock, SystemClock } from '../common/clock';
import { GroupCommitter } from '../common/group-commit';
import { TaggedEvent } from '../ingest/event';
import { ActorProfile, applyObservations } from './actor-profile';
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
  multiRowInsert,
  observationOf,
  placeholders,
  profileFromRow,
  rowsPerStatement,
  VERDICT_COLUMNS,
  verdictRow,
} from './event-rows';
import { mostSevere } from './mappers';
import { MemoryTx } from './memory-tx';
import { SqlBlockLedger } from './block-ledger';
import {
  ActorEvaluator,
  ActorOutcome,
  EvaluationContext,
  NetworkKeys,
  NewDecision,
  RecordResult,
  StoredDecision,
} from './records';
import { earliestEventTime, evaluationOrder, groupByKey, isNetworkKey, strongest } from './write-keys';

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

/** One item of a flush: a request's events, or a job that runs inside the same transaction. */
type WriteItem = { events: TaggedEvent[] } | { job: (tx: MemoryTx) => Promise<unknown> };

/** A job's failure is its own: it is rolled back to its savepoint and reported to it alone. */
class JobFailure {
  constructor(readonly error: unknown) {}
}

const IN_LIST = 500;

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

/**
 * The write path. Concurrent requests' events go into one transaction per flush (group
 * commit): events inserted with multi-row statements, actor profiles merged and upserted, each
 * touched actor judged and any new decision stored, all committed together before any of
 * those requests is answered.
 */
@Injectable()
export class EventWriter implements OnApplicationShutdown {
  private readonly logger = new Logger(EventWriter.name);
  private evaluator: ActorEvaluator | null = null;
  private pending = 0;
  private readonly committer = new GroupCommitter<WriteItem, unknown>(
    (items) => this.flush(items),
    (item) => ('events' in item ? item.events.length : 1),
  );

  private readonly clock: Clock;

  constructor(
    private readonly dataSource: DataSource,
    @Optional() clock?: Clock,
  ) {
    this.clock = clock ?? new SystemClock();
  }

  useEvaluator(evaluator: ActorEvaluator): void {
    this.evaluator = evaluator;
  }

  /** Resolves once the events and their consequences are committed. */
  async record(events: TaggedEvent[]): Promise<RecordResult> {
    this.pending += events.length;
    try {
      return (await this.committer.submit({ events })) as RecordResult;
    } finally {
      this.pending -= events.length;
    }
  }

  /**
   * Runs `job` inside the next write transaction, serialised with ingest, so that what it
   * reads cannot change before it writes. Resolves after the commit with the job's result.
   */
  async transact<R>(job: (tx: MemoryTx) => Promise<R>): Promise<R> {
    const result = await this.committer.submit({ job });
    if (result instanceof JobFailure) {
      throw result.error;
    }
    return result as R;
  }

  /** Events submitted and not yet committed. */
  get pendingEvents(): number {
    return this.pending;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.committer.drain();
  }

  private async flush(items: WriteItem[]): Promise<unknown[]> {
    const started = Date.now();
    const now = this.clock.now();
    const batches = items.flatMap((item) => ('events' in item ? [item.events] : []));
    const ids = batches.map((events) => events.map(() => timeOrderedId()));
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    let written: ActorsWritten;
    let jobResults: unknown[];
    try {
      await this.insertEvents(runner, batches, ids, now);
      written = await this.updateActors(runner, batches.flat(), now);
      jobResults = await this.runJobs(runner, items, now);
      await runner.commitTransaction();
    } catch (error) {
      await runner.rollbackTransaction();
      this.logger.error(`write of ${ids.flat().length} event(s) rolled back: ${(error as Error).message}`);
      throw error;
    } finally {
      await runner.release();
    }
    this.logger.debug(
      `committed ${ids.flat().length} event(s) from ${batches.length} request(s) in ${Date.now() - started} ms`,
    );
    let batch = 0;
    let job = 0;
    return items.map((item) => {
      if (!('events' in item)) {
        return jobResults[job++];
      }
      const index = batch++;
      return {
        eventIds: ids[index],
        actors: new Map(
          item.events.map((event) => [event.sourceIp, written.outcomes.get(event.sourceIp) as ActorOutcome]),
        ),
        made: this.madeFor(item.events, written),
      };
    });
  }

  private async runJobs(runner: QueryRunner, items: WriteItem[], now: Date): Promise<unknown[]> {
    const results: unknown[] = [];
    for (const item of items) {
      if ('events' in item) {
        continue;
      }
      await runner.query('SAVEPOINT job');
      try {
        results.push(await item.job(new MemoryTx(runner, now)));
        await runner.query('RELEASE SAVEPOINT job');
      } catch (error) {
        await runner.query('ROLLBACK TO SAVEPOINT job');
        await runner.query('RELEASE SAVEPOINT job');
        results.push(new JobFailure(error));
      }
    }
    return results;
  }

  private async insertEvents(runner: QueryRunner, batches: TaggedEvent[][], ids: string[][], now: Date): Promise<void> {
    const rows = batches.flatMap((events, b) => events.map((event, e) => eventRow(ids[b][e], event, now)));
    await this.insertRows(runner, 'events', EVENT_COLUMNS, rows);
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

  private async updateActors(runner: QueryRunner, events: TaggedEvent[], now: Date): Promise<ActorsWritten> {
    if (events.length === 0) {
      return { outcomes: new Map(), made: [], networks: new Map() };
    }
    const evaluator = this.requireEvaluator();
    const keys = groupByKey(events, (ip) => evaluator.networksOf(ip));
    const stored = await this.loadActors(runner, [...keys.byKey.keys()]);
    const from = earliestEventTime(events);
    const { active, simulated, expired, allows } = await this.loadInForce(runner, [...keys.byKey.keys()], now, from);
    const outcomes = new Map<string, ActorOutcome>();
    const made: StoredDecision[] = [];
    const actorRows: unknown[][] = [];
    const verdictRows: unknown[][] = [];
    const auditRows: unknown[][] = [];
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
      const { outcome, made: madeHere } = await this.judge(profile, inForce, now, context);
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
      outcomes.set(key, outcome);
    }
    this.coverAddresses(keys.networks, outcomes, made);
    const updates = ACTOR_COLUMNS.filter((column) => column !== 'ip')
      .map((column) => `${column} = excluded.${column}`)
      .join(', ');
    await this.insertRows(runner, 'actors', ACTOR_COLUMNS, actorRows, ` ON CONFLICT (ip) DO UPDATE SET ${updates}`);
    await this.insertRows(runner, 'verdicts', VERDICT_COLUMNS, verdictRows);
    await this.insertRows(runner, 'decisions', DECISION_COLUMNS, made.map(decisionRow));
    await this.insertRows(runner, 'decision_audit', AUDIT_COLUMNS, auditRows);
    made.push(...(await this.escalate(runner, evaluator, made, allows, now)));
    return { outcomes, made, networks: keys.networks };
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
    runner: QueryRunner,
    evaluator: ActorEvaluator,
    made: StoredDecision[],
    allows: StoredDecision[],
    now: Date,
  ): Promise<StoredDecision[]> {
    const blocks = made.filter((decision) => decision.action === 'block' && decision.scope === 'ip');
    if (blocks.length === 0) {
      return [];
    }
    const ranges = (await evaluator.escalate(blocks, new SqlBlockLedger(runner, now), allows)).map((decision) =>
      this.toStored(decision, decision.value ?? '', now),
    );
    await this.insertRows(runner, 'decisions', DECISION_COLUMNS, ranges.map(decisionRow));
    await this.insertRows(
      runner,
      'decision_audit',
      AUDIT_COLUMNS,
      ranges.map((d) => auditRow(timeOrderedId(), d.id, now, d.createdBy, 'created', d.reason)),
    );
    return ranges;
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
  private async judge(
    profile: ActorProfile,
    inForce: StoredDecision | null,
    now: Date,
    context: EvaluationContext,
  ): Promise<Judged> {
    const evaluation = await this.requireEvaluator().evaluate(profile, inForce, now, context);
    const made = [evaluation.decision, ...(evaluation.also ?? [])]
      .filter((decision): decision is NewDecision => decision !== null)
      .map((decision) => this.toStored(decision, profile.ip, now));
    const shown = made.find((d) => d.status === 'active') ?? made.find((d) => d.status === 'simulated');
    const blocked = made.some((d) => d.action === 'block' && d.status === 'active' && d.value === profile.ip);
    const actor = blocked ? { ...profile, offenceCount: profile.offenceCount + 1 } : profile;
    return {
      outcome: { actor, verdict: evaluation.verdict, decision: shown ?? inForce, isNew: shown !== undefined },
      made,
    };
  }

  private async loadActors(runner: QueryRunner, ips: string[]) {
    const stored = new Map<string, ReturnType<typeof profileFromRow>>();
    for (const part of chunks(ips, IN_LIST)) {
      const rows = (await runner.query(
        `SELECT * FROM actors WHERE ip IN (${placeholders(part.length)})`,
        part,
      )) as Record<string, unknown>[];
      for (const row of rows) {
        const loaded = profileFromRow(row);
        stored.set(loaded.profile.ip, loaded);
      }
    }
    return stored;
  }

  /**
   * Unrevoked decisions on these keys and on any range (few; the ranges covering an address
   * are looked up among them) that were in force at some time from `from` (the write's
   * earliest event) on: those in force now, published and simulated apart, and the published
   * ones that expired meanwhile. Allows are not "in force" against anyone: every active
   * manual allow comes apart, whatever its value.
   */
  private async loadInForce(runner: QueryRunner, keys: string[], now: Date, from: Date) {
    const active = new Map<string, StoredDecision>();
    const simulated = new Map<string, StoredDecision>();
    const expired = new Map<string, StoredDecision[]>();
    const since = Math.min(from.getTime(), now.getTime());
    // Status and action are filtered here, not in SQL: with `status = ?` in the WHERE clause
    // SQLite prefers idx_decisions_status and reads every active decision on every write.
    const unexpired = 'revoked_at IS NULL AND expires_at > ?';
    const queries = chunks(keys, IN_LIST).map((part) => ({
      sql: `SELECT * FROM decisions WHERE value IN (${placeholders(part.length)}) AND ${unexpired}`,
      params: [...part, since],
    }));
    queries.push({ sql: `SELECT * FROM decisions WHERE scope = 'range' AND ${unexpired}`, params: [since] });
    for (const query of queries) {
      const rows = (await runner.query(query.sql, query.params)) as Record<string, unknown>[];
      for (const row of rows) {
        const decision = decisionFromRow(row);
        if (decision.action === 'allow' || (decision.status !== 'active' && decision.status !== 'simulated')) {
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
    }
    const allows = (
      (await runner.query(`SELECT * FROM decisions WHERE action = 'allow' AND ${unexpired}`, [
        now.getTime(),
      ])) as Record<string, unknown>[]
    )
      .map(decisionFromRow)
      .filter((decision) => decision.status === 'active');
    return { active, simulated, expired, allows };
  }

  /** Multi-row INSERTs of at most SQLite's bound-parameter limit each. */
  private async insertRows(
    runner: QueryRunner,
    table: string,
    columns: readonly string[],
    rows: unknown[][],
    suffix = '',
  ): Promise<void> {
    for (const part of chunks(rows, rowsPerStatement(columns.length))) {
      await runner.query(multiRowInsert(table, columns, part.length) + suffix, part.flat());
    }
  }
}
