import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, In, QueryRunner } from 'typeorm';
import { GroupCommitter } from '../common/group-commit';
import { TaggedEvent } from '../ingest/event';
import { ActorProfile, applyObservations } from './actor-profile';
import { DecisionEntity } from './entities/decision.entity';
import { ActorEntity } from './entities/actor.entity';
import { VerdictEntity } from './entities/verdict.entity';
import {
  ACTOR_COLUMNS,
  actorRow,
  EVENT_COLUMNS,
  eventRow,
  multiRowInsert,
  observationOf,
  rowsPerStatement,
} from './event-rows';
import { toActorProfile, toStoredDecision, mostSevere } from './mappers';
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
    const ids = batches.map((events) => events.map(() => randomUUID()));
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
    for (const part of chunks(rows, rowsPerStatement(EVENT_COLUMNS.length))) {
      await runner.query(multiRowInsert('events', EVENT_COLUMNS, part.length), part.flat());
    }
  }

  private async updateActors(
    runner: QueryRunner,
    events: TaggedEvent[],
    now: Date,
  ): Promise<Map<string, ActorOutcome>> {
    const byActor = new Map<string, TaggedEvent[]>();
    for (const event of events) {
      const list = byActor.get(event.sourceIp);
      if (list) {list.push(event);}
      else {byActor.set(event.sourceIp, [event]);}
    }
    const ips = [...byActor.keys()];
    const stored = await this.loadActors(runner, ips);
    const inForce = await this.loadInForce(runner, ips, now);
    const outcomes = new Map<string, ActorOutcome>();
    const actorRows: unknown[][] = [];
    const decisions: StoredDecision[] = [];
    const verdictRows: Record<string, unknown>[] = [];
    for (const [ip, actorEvents] of byActor) {
      const previous = stored.get(ip);
      const profile: ActorProfile = applyObservations(previous?.profile, ip, actorEvents.map(observationOf));
      const outcome = await this.judge(profile, inForce.get(ip) ?? null, now);
      if (outcome.isNew && outcome.decision !== null) {
        decisions.push(outcome.decision);
      }
      const verdictChanged =
        previous?.lastLevel !== outcome.verdict.level || previous?.lastScore !== outcome.verdict.score;
      if (verdictChanged || outcome.isNew) {
        const verdictId = randomUUID();
        if (outcome.isNew && outcome.decision !== null) {
          outcome.decision.verdictId = verdictId;
        }
        verdictRows.push({
          id: verdictId,
          actorIp: ip,
          createdAt: now,
          ...outcome.verdict,
          model: outcome.verdict.model ?? null,
        });
      }
      actorRows.push(actorRow(outcome.actor, outcome.verdict.level, outcome.verdict.score, now));
      outcomes.set(ip, outcome);
    }
    await this.upsertActors(runner, actorRows);
    if (verdictRows.length > 0) {
      for (const part of chunks(verdictRows, 500)) {
        await runner.manager.insert(VerdictEntity, part);
      }
    }
    for (const part of chunks(decisions, 500)) {
      await runner.manager.insert(DecisionEntity, part);
    }
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
      id: randomUUID(),
      scope: 'ip',
      value: profile.ip,
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
    const stored = new Map<string, { profile: ActorProfile; lastLevel: string | null; lastScore: number | null }>();
    for (const part of chunks(ips, IN_LIST)) {
      for (const row of await runner.manager.find(ActorEntity, { where: { ip: In(part) } })) {
        stored.set(row.ip, { profile: toActorProfile(row), lastLevel: row.lastLevel, lastScore: row.lastScore });
      }
    }
    return stored;
  }

  private async loadInForce(runner: QueryRunner, ips: string[], now: Date): Promise<Map<string, StoredDecision>> {
    const inForce = new Map<string, StoredDecision>();
    for (const part of chunks(ips, IN_LIST)) {
      const rows = await runner.manager
        .createQueryBuilder(DecisionEntity, 'd')
        .where('d.value IN (:...part)', { part })
        .andWhere('d.revoked_at IS NULL')
        .andWhere('d.expires_at > :now', { now: now.getTime() })
        .getMany();
      for (const row of rows) {
        const decision = toStoredDecision(row);
        inForce.set(decision.value, mostSevere(inForce.get(decision.value), decision));
      }
    }
    return inForce;
  }

  private async upsertActors(runner: QueryRunner, rows: unknown[][]): Promise<void> {
    const updates = ACTOR_COLUMNS.filter((column) => column !== 'ip')
      .map((column) => `${column} = excluded.${column}`)
      .join(', ');
    for (const part of chunks(rows, rowsPerStatement(ACTOR_COLUMNS.length))) {
      const sql = `${multiRowInsert('actors', ACTOR_COLUMNS, part.length)} ON CONFLICT (ip) DO UPDATE SET ${updates}`;
      await runner.query(sql, part.flat());
    }
  }
}
