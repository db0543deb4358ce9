import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ActorProfile, AuthSession } from '../../domain/actor';
import { epochMs, jsonText } from './epoch.transformer';

/** What is remembered per canonical source address. */
@Entity({ name: 'actors' })
export class ActorEntity {
  @PrimaryColumn({ type: 'varchar', length: 45 }) ip!: string;
  @Column({ name: 'first_seen', type: 'bigint', transformer: epochMs }) firstSeen!: Date;
  @Column({ name: 'last_seen', type: 'bigint', transformer: epochMs }) lastSeen!: Date;
  @Column({ name: 'event_count', type: 'integer' }) eventCount!: number;
  @Column({ name: 'failure_count', type: 'integer' }) failureCount!: number;
  @Column({ name: 'signal_counts', type: 'text', transformer: jsonText }) signalCounts!: Record<string, number>;
  @Column({ name: 'signal_timeline', type: 'text', transformer: jsonText }) signalTimeline!: Record<string, number[]>;
  @Column({ name: 'user_hashes', type: 'text', transformer: jsonText }) userHashes!: string[];
  @Column({ name: 'path_hashes', type: 'text', transformer: jsonText }) pathHashes!: string[];
  @Column({ name: 'offence_count', type: 'integer' }) offenceCount!: number;
  @Column({ name: 'auth_sessions', type: 'text', transformer: jsonText, default: '[]' }) authSessions!: AuthSession[];
  @Column({ name: 'signal_paths', type: 'text', transformer: jsonText, default: '{}' })
  signalPaths!: ActorProfile['signalPaths'];
  @Column({ name: 'last_level', type: 'varchar', length: 16, nullable: true }) lastLevel!: string | null;
  @Column({ name: 'last_score', type: 'integer', nullable: true }) lastScore!: number | null;
  @Column({ name: 'updated_at', type: 'bigint', transformer: epochMs }) updatedAt!: Date;
}
