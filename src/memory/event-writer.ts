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
import { ActorEvaluator, ActorOutcome, RecordResult, StoredDecision } from './records';

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
  private readonly committer = new GroupCommitter<TaggedEvent[], RecordResult>(
    (batches) => this.flush(batches),
    (events) => events.length,
  );

  constructor(private readonly dataSource: DataSource) {}

  useEvaluator(evaluator: ActorEvaluator): void {
    this.evaluator = evaluator;
  }

  /** Resolves once the events and their consequences are committed. */
  record(events: TaggedEvent[]): Promise<RecordResult> {
    return this.committer.submit(events);
  }

  get queueDepth(): number {
    return this.committer.depth;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.committer.drain();
  }

  private async flush(batches: TaggedEvent[][]): Promise<RecordResult[]> {
    const started = Date.now();
    const now = new Date();
    const ids = batches.map((events) => events.map(() => timeOrderedId()));
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    let outcomes: Map<string, ActorOutcome>;
    try {
      await this.insertEvents(runner, batches, ids, now);
      outcomes = await this.updateActors(runner, batches.flat(), now);
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
    return batches.map((events, index) => ({
      eventIds: ids[index],
      actors: new Map(events.map((event) => [event.sourceIp, outcomes.get(event.sourceIp) as ActorOutcome])),
    }));
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
