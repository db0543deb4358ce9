import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { DataSource, QueryRunner } from 'typeorm';
import { v7 as timeOrderedId } from 'uuid';
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
import { ActorEvaluator, ActorOutcome, RecordResult, StoredDecision } from './records';

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
  private readonly committer = new GroupCommitter<WriteItem, unknown>(
    (items) => this.flush(items),
    (item) => ('events' in item ? item.events.length : 1),
  );

  constructor(private readonly dataSource: DataSource) {}

  useEvaluator(evaluator: ActorEvaluator): void {
    this.evaluator = evaluator;
  }

  /** Resolves once the events and their consequences are committed. */
  async record(events: TaggedEvent[]): Promise<RecordResult> {
    return (await this.committer.submit({ events })) as RecordResult;
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

  get queueDepth(): number {
    return this.committer.depth;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.committer.drain();
  }

  private async flush(items: WriteItem[]): Promise<unknown[]> {
    const started = Date.now();
    const now = new Date();
    const batches = items.flatMap((item) => ('events' in item ? [item.events] : []));
    const ids = batches.map((events) => events.map(() => timeOrderedId()));
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    let outcomes: Map<string, ActorOutcome>;
    let jobResults: unknown[];
    try {
      await this.insertEvents(runner, batches, ids, now);
      outcomes = await this.updateActors(runner, batches.flat(), now);
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
        actors: new Map(item.events.map((event) => [event.sourceIp, outcomes.get(event.sourceIp) as ActorOutcome])),
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

  private async updateActors(
    runner: QueryRunner,
    events: TaggedEvent[],
    now: Date,
  ): Promise<Map<string, ActorOutcome>> {
    const byActor = new Map<string, TaggedEvent[]>();
    for (const event of events) {
      const list = byActor.get(event.sourceIp);
      if (list) {
        list.push(event);
      } else {
        byActor.set(event.sourceIp, [event]);
      }
    }
    const ips = [...byActor.keys()];
    const stored = await this.loadActors(runner, ips);
    const inForce = await this.loadInForce(runner, ips, now);
    const outcomes = new Map<string, ActorOutcome>();
    const actorRows: unknown[][] = [];
    const verdictRows: unknown[][] = [];
    const decisionRows: unknown[][] = [];
    const auditRows: unknown[][] = [];
    for (const [ip, actorEvents] of byActor) {
      const previous = stored.get(ip);
      const profile: ActorProfile = applyObservations(previous?.profile, ip, actorEvents.map(observationOf));
      const outcome = await this.judge(profile, inForce.get(ip) ?? null, now);
      const verdictChanged =
        previous?.lastLevel !== outcome.verdict.level || previous?.lastScore !== outcome.verdict.score;
      if (verdictChanged || outcome.isNew) {
        const verdictId = timeOrderedId();
        verdictRows.push(verdictRow(verdictId, ip, outcome.verdict, now));
        if (outcome.isNew && outcome.decision !== null) {
          outcome.decision.verdictId = verdictId;
          decisionRows.push(decisionRow(outcome.decision));
          auditRows.push(
            auditRow(
              timeOrderedId(),
              outcome.decision.id,
              now,
              outcome.decision.createdBy,
              'created',
              outcome.decision.reason,
            ),
          );
        }
      }
      actorRows.push(actorRow(outcome.actor, outcome.verdict.level, outcome.verdict.score, now));
      outcomes.set(ip, outcome);
    }
    const updates = ACTOR_COLUMNS.filter((column) => column !== 'ip')
      .map((column) => `${column} = excluded.${column}`)
      .join(', ');
    await this.insertRows(runner, 'actors', ACTOR_COLUMNS, actorRows, ` ON CONFLICT (ip) DO UPDATE SET ${updates}`);
    await this.insertRows(runner, 'verdicts', VERDICT_COLUMNS, verdictRows);
    await this.insertRows(runner, 'decisions', DECISION_COLUMNS, decisionRows);
    await this.insertRows(runner, 'decision_audit', AUDIT_COLUMNS, auditRows);
    return outcomes;
  }

  private async judge(profile: ActorProfile, inForce: StoredDecision | null, now: Date): Promise<ActorOutcome> {
    if (this.evaluator === null) {
      throw new Error('no actor evaluator registered');
    }
    const evaluation = await this.evaluator.evaluate(profile, inForce, now);
    if (evaluation.decision === null) {
      return { actor: profile, verdict: evaluation.verdict, decision: inForce, isNew: false };
    }
    const decision: StoredDecision = {
      id: timeOrderedId(),
      scope: 'ip',
      value: profile.ip,
      createdBy: evaluation.decision.origin,
      ...evaluation.decision,
      verdictId: null,
      createdAt: now,
      revokedAt: null,
      revokeReason: null,
    };
    const actor = decision.action === 'block' ? { ...profile, offenceCount: profile.offenceCount + 1 } : profile;
    return { actor, verdict: evaluation.verdict, decision, isNew: true };
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

  private async loadInForce(runner: QueryRunner, ips: string[], now: Date): Promise<Map<string, StoredDecision>> {
    const inForce = new Map<string, StoredDecision>();
    for (const part of chunks(ips, IN_LIST)) {
      const rows = (await runner.query(
        `SELECT * FROM decisions WHERE value IN (${placeholders(part.length)}) AND status = 'active' AND revoked_at IS NULL AND expires_at > ?`,
        [...part, now.getTime()],
      )) as Record<string, unknown>[];
      for (const row of rows) {
        const decision = decisionFromRow(row);
        inForce.set(decision.value, mostSevere(inForce.get(decision.value), decision));
      }
    }
    return inForce;
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
