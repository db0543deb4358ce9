import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Enforcement and management: the integer ids CrowdSec bouncers know bans by (and the
 * generation of the pull that first saw each one ended), each bouncer
 * key's stream cursor (under a hash of the key, never the key), and analysts' feedback on
 * actors. New tables only, so the `decisions` table keeps its shape.
 */
export class Enforcement1732612345000 implements MigrationInterface {
  name = 'Enforcement1732612345000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'bouncer_decision_ids',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'decision_id', type: 'varchar', length: '36', isUnique: true },
          { name: 'assigned_at', type: 'bigint' },
          { name: 'ended_gen', type: 'integer', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'idx_bouncer_ids_ended_gen', columnNames: ['ended_gen'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'bouncer_cursors',
        columns: [
          { name: 'key_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'last_pull_at', type: 'bigint' },
          { name: 'last_seq', type: 'integer' },
          { name: 'last_end_gen', type: 'integer' },
          { name: 'updated_at', type: 'bigint' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'actor_feedback',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'actor_ip', type: 'varchar', length: '45' },
          { name: 'verdict', type: 'varchar', length: '16' },
          { name: 'note', type: 'text' },
          { name: 'who', type: 'varchar', length: '64' },
          { name: 'created_at', type: 'bigint' },
          { name: 'revoked_decision_ids', type: 'text' },
        ],
        indices: [new TableIndex({ name: 'idx_feedback_actor_time', columnNames: ['actor_ip', 'created_at'] })],
      }),
    );
    await queryRunner.createIndex('decision_audit', new TableIndex({ name: 'idx_audit_who', columnNames: ['who'] }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('decision_audit', 'idx_audit_who');
    for (const table of ['actor_feedback', 'bouncer_cursors', 'bouncer_decision_ids']) {
      await queryRunner.dropTable(table);
    }
  }
}
