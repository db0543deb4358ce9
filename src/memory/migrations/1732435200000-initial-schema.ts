import { MigrationInterface, QueryRunner, Table, TableColumnOptions, TableIndex } from 'typeorm';

const id: TableColumnOptions = { name: 'id', type: 'varchar', length: '36', isPrimary: true };
const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable });
const epoch = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });

/** Events, actors, verdicts and decisions. Built with TypeORM's portable Table API. */
export class InitialSchema1732435200000 implements MigrationInterface {
  name = 'InitialSchema1732435200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'events',
        columns: [
          id,
          varchar('actor_ip', 45),
          epoch('event_time'),
          epoch('received_at'),
          varchar('event_type', 128, true),
          varchar('outcome', 8),
          varchar('signals', 256),
          varchar('host', 512, true),
          varchar('user_name', 512, true),
          text('message', true),
          text('url', true),
          varchar('http_method', 16, true),
          int('http_status', true),
          text('user_agent', true),
          int('source_port', true),
        ],
        indices: [new TableIndex({ name: 'idx_events_actor_time', columnNames: ['actor_ip', 'event_time'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'actors',
        columns: [
          { ...varchar('ip', 45), isPrimary: true },
          epoch('first_seen'),
          epoch('last_seen'),
          int('event_count'),
          int('failure_count'),
          text('signal_counts'),
          text('signal_timeline'),
          text('user_hashes'),
          text('path_hashes'),
          int('offence_count'),
          varchar('last_level', 16, true),
          int('last_score', true),
          epoch('updated_at'),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'verdicts',
        columns: [
          id,
          varchar('actor_ip', 45),
          epoch('created_at'),
          varchar('level', 16),
          int('score'),
          text('categories'),
          text('techniques'),
          // SQLite's REAL is 8 bytes; PostgreSQL's `real` only 4.
          {
            name: 'confidence',
            type: queryRunner.connection.options.type === 'postgres' ? 'double precision' : 'real',
          },
          text('rationale'),
          varchar('provider', 16),
          varchar('model', 64, true),
          int('latency_ms', true),
          int('input_tokens', true),
          int('output_tokens', true),
        ],
        indices: [new TableIndex({ name: 'idx_verdicts_actor_time', columnNames: ['actor_ip', 'created_at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'decisions',
        columns: [
          id,
          varchar('scope', 8),
          varchar('value', 64),
          varchar('action', 8),
          varchar('origin', 16),
          varchar('rule_id', 64),
          text('reason'),
          varchar('verdict_id', 36, true),
          epoch('created_at'),
          epoch('expires_at'),
          epoch('revoked_at', true),
          text('revoke_reason', true),
        ],
        indices: [
          new TableIndex({ name: 'idx_decisions_value', columnNames: ['value'] }),
          new TableIndex({ name: 'idx_decisions_expiry', columnNames: ['expires_at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['decisions', 'verdicts', 'actors', 'events']) {
      await queryRunner.dropTable(table);
    }
  }
}
