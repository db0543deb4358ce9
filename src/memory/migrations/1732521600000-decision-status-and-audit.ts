import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';

/**
 * Decisions gain a status (active, pending approval, simulated, rejected) and who made them;
 * every change to a decision is kept in `decision_audit`.
 */
export class DecisionStatusAndAudit1732521600000 implements MigrationInterface {
  name = 'DecisionStatusAndAudit1732521600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('decisions', [
      new TableColumn({ name: 'status', type: 'varchar', length: '12', default: "'active'" }),
      new TableColumn({ name: 'created_by', type: 'varchar', length: '64', default: "'policy'" }),
    ]);
    await queryRunner.createIndex(
      'decisions',
      new TableIndex({ name: 'idx_decisions_status', columnNames: ['status'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'decision_audit',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'decision_id', type: 'varchar', length: '36' },
          { name: 'at', type: 'bigint' },
          { name: 'who', type: 'varchar', length: '64' },
          { name: 'change', type: 'varchar', length: '16' },
          { name: 'reason', type: 'text' },
        ],
        indices: [
          new TableIndex({ name: 'idx_audit_decision', columnNames: ['decision_id'] }),
          new TableIndex({ name: 'idx_audit_at', columnNames: ['at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('decision_audit');
    await queryRunner.dropIndex('decisions', 'idx_decisions_status');
    await queryRunner.dropColumns('decisions', ['status', 'created_by']);
  }
}
