import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Range escalation: which addresses of which network were blocked when (one row per network
 * and address, the latest block); and indexes to read, once per write, the active manual
 * `allow` decisions and the unexpired decisions on ranges.
 */
export class NetworkBlockLedger1732608000000 implements MigrationInterface {
  name = 'NetworkBlockLedger1732608000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'network_blocks',
        columns: [
          { name: 'network', type: 'varchar', length: '64', isPrimary: true },
          { name: 'ip', type: 'varchar', length: '45', isPrimary: true },
          { name: 'simulated', type: 'integer', isPrimary: true },
          { name: 'blocked_at', type: 'bigint' },
        ],
        indices: [new TableIndex({ name: 'idx_network_blocks_time', columnNames: ['network', 'blocked_at'] })],
      }),
    );
    // Partial indexes: only allows and range decisions (few) are in them, so the many
    // decisions on single addresses that ingest writes do not pay for them.
    await queryRunner.createIndex(
      'decisions',
      new TableIndex({ name: 'idx_decisions_allow_expiry', columnNames: ['expires_at'], where: "action = 'allow'" }),
    );
    await queryRunner.createIndex(
      'decisions',
      new TableIndex({ name: 'idx_decisions_range_expiry', columnNames: ['expires_at'], where: "scope = 'range'" }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('decisions', 'idx_decisions_range_expiry');
    await queryRunner.dropIndex('decisions', 'idx_decisions_allow_expiry');
    await queryRunner.dropTable('network_blocks');
  }
}
