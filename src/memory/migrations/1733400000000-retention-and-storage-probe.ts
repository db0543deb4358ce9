import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Retention and storage health. Events are purged by event time and verdicts by the time they
 * were made, so each gets an index on that time (the existing ones lead with the actor).
 * `storage_probe` holds one row a probe rewrites to learn whether the disk takes writes again
 * after it was full or read-only.
 */
export class RetentionAndStorageProbe1733400000000 implements MigrationInterface {
  name = 'RetentionAndStorageProbe1733400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex('events', new TableIndex({ name: 'idx_events_time', columnNames: ['event_time'] }));
    await queryRunner.createIndex(
      'verdicts',
      new TableIndex({ name: 'idx_verdicts_time', columnNames: ['created_at'] }),
    );
    await queryRunner.createIndex(
      'actors',
      new TableIndex({ name: 'idx_actors_last_seen', columnNames: ['last_seen'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'storage_probe',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true },
          { name: 'at', type: 'bigint' },
          { name: 'filler', type: queryRunner.connection.options.type === 'postgres' ? 'bytea' : 'blob' },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('storage_probe');
    await queryRunner.dropIndex('actors', 'idx_actors_last_seen');
    await queryRunner.dropIndex('verdicts', 'idx_verdicts_time');
    await queryRunner.dropIndex('events', 'idx_events_time');
  }
}
