import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** An actor's recent connections and what their auth lines showed, to count attempts, not lines. */
export class ActorAuthSessions1733450000000 implements MigrationInterface {
  name = 'ActorAuthSessions1733450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'actors',
      new TableColumn({ name: 'auth_sessions', type: 'text', isNullable: false, default: "'[]'" }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('actors', 'auth_sessions');
  }
}
