import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { epochMs } from './epoch.transformer';

/** One stored security event. Strings are untrusted: they never leave Memory unsanitised for the LLM. */
@Entity({ name: 'events' })
@Index('idx_events_actor_time', ['actorIp', 'eventTime'])
export class LogEventEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 }) id!: string;
  @Column({ name: 'actor_ip', type: 'varchar', length: 400 }) actorIp!: string;
  @Column({ name: 'event_time', type: 'bigint', transformer: epochMs }) eventTime!: Date;
  @Column({ name: 'received_at', type: 'bigint', transformer: epochMs }) receivedAt!: Date;
  @Column({ name: 'event_type', type: 'varchar', length: 128, nullable: true }) eventType!: string | null;
  @Column({ type: 'varchar', length: 8 }) outcome!: string;
  @Column({ type: 'varchar', length: 256 }) signals!: string;
  @Column({ type: 'varchar', length: 512, nullable: true }) host!: string | null;
  @Column({ name: 'user_name', type: 'varchar', length: 512, nullable: true }) userName!: string | null;
  @Column({ type: 'text', nullable: true }) message!: string | null;
  @Column({ type: 'text', nullable: true }) url!: string | null;
  @Column({ name: 'http_method', type: 'varchar', length: 16, nullable: true }) httpMethod!: string | null;
  @Column({ name: 'http_status', type: 'integer', nullable: true }) httpStatus!: number | null;
  @Column({ name: 'user_agent', type: 'text', nullable: true }) userAgent!: string | null;
  @Column({ name: 'source_port', type: 'integer', nullable: true }) sourcePort!: number | null;
  @Column({ type: 'text', nullable: true }) original!: string | null;
  @Column({ name: 'ingest_source', type: 'varchar', length: 64, nullable: true }) ingestSource!: string | null;
  @Column({ name: 'received_via', type: 'varchar', length: 16, nullable: true }) receivedVia!: string | null;
  @Column({ name: 'line_format', type: 'varchar', length: 24, nullable: true }) lineFormat!: string | null;
  /** JSON list of SignalMatch (rule id, field, matched text), or null. */
  @Column({ name: 'signal_matches', type: 'text', nullable: true }) signalMatches!: string | null;
}
