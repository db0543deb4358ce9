import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * Range escalation: which addresses of which network were blocked when (one row per network
 * and address, the latest block), and an index to read active manual `allow` decisions cheaply
 * once per write.
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
    await queryRunner.createIndex(
      'decisions',
      new TableIndex({ name: 'idx_decisions_action_status', columnNames: ['action', 'status'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('decisions', 'idx_decisions_action_status');
    await queryRunner.dropTable('network_blocks');
  }
}
