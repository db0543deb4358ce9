import { MigrationInterface, QueryRunner, Table, TableIndex } from 'typeorm';

/**
 * One LLM review of an actor across every instance on the store: a review claims its actor
 * here first (MemoryTx.claimReview): `claimed_at` when the latest review began, `claimed_until`
 * when its claim ends (when it ends, or after its longest run if its instance died).
 */
export class ReviewClaims1734000000000 implements MigrationInterface {
  name = 'ReviewClaims1734000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'review_claims',
        columns: [
          { name: 'actor_ip', type: 'varchar', length: '400', isPrimary: true },
          { name: 'claimed_at', type: 'bigint' },
          { name: 'claimed_until', type: 'bigint' },
          { name: 'claimed_by', type: 'varchar', length: '64' },
        ],
      }),
    );
    await queryRunner.createIndex(
      'review_claims',
      new TableIndex({ name: 'idx_review_claims_until', columnNames: ['claimed_until'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('review_claims');
  }
}
