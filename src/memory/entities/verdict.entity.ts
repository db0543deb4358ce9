import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs, jsonText } from './epoch.transformer';

/** One judgement of an actor, with who made it and what it cost. */
@Entity({ name: 'verdicts' })
@Index('idx_verdicts_actor_time', ['actorIp', 'createdAt'])
export class VerdictEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'actor_ip', type: 'varchar', length: 400 }) actorIp!: string;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: Date;
  @Column({ type: 'varchar', length: 16 }) level!: string;
  @Column({ type: 'integer' }) score!: number;
  @Column({ type: 'text', transformer: jsonText }) categories!: string[];
  @Column({ type: 'text', transformer: jsonText }) techniques!: string[];
  @Column({ type: 'real' }) confidence!: number;
  @Column({ type: 'text' }) rationale!: string;
  @Column({ type: 'varchar', length: 16 }) provider!: string;
  @Column({ type: 'varchar', length: 64, nullable: true }) model!: string | null;
  @Column({ name: 'latency_ms', type: 'integer', nullable: true }) latencyMs!: number | null;
  @Column({ name: 'input_tokens', type: 'integer', nullable: true }) inputTokens!: number | null;
  @Column({ name: 'output_tokens', type: 'integer', nullable: true }) outputTokens!: number | null;
}
