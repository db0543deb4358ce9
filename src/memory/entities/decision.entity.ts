import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch.transformer';

/** An action published for an address (or, later, a range), with its reason and expiry. */
@Entity({ name: 'decisions' })
@Index('idx_decisions_value', ['value'])
@Index('idx_decisions_expiry', ['expiresAt'])
export class DecisionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ type: 'varchar', length: 8 }) scope!: string;
  @Column({ type: 'varchar', length: 400 }) value!: string;
  @Column({ type: 'varchar', length: 8 }) action!: string;
  @Column({ type: 'varchar', length: 16 }) origin!: string;
  @Column({ type: 'varchar', length: 12, default: 'active' }) status!: string;
  @Column({ name: 'created_by', type: 'varchar', length: 64, default: 'policy' }) createdBy!: string;
  @Column({ name: 'rule_id', type: 'varchar', length: 64 }) ruleId!: string;
  @Column({ type: 'text' }) reason!: string;
  @Column({ name: 'verdict_id', type: 'varchar', length: 36, nullable: true }) verdictId!: string | null;
  @Column({ name: 'created_at', type: 'bigint', transformer: epochMs }) createdAt!: Date;
  @Column({ name: 'expires_at', type: 'bigint', transformer: epochMs }) expiresAt!: Date;
  @Column({ name: 'revoked_at', type: 'bigint', transformer: epochMs, nullable: true }) revokedAt!: Date | null;
  @Column({ name: 'revoke_reason', type: 'text', nullable: true }) revokeReason!: string | null;
}
