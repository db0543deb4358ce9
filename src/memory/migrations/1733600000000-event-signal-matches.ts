import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Why each signal of an event was raised (rule id, field, matched text; JSON), so that an
 * actor's history shows the rule that fired and what it matched. Null when nothing matched.
 */
export class EventSignalMatches1733600000000 implements MigrationInterface {
  name = 'EventSignalMatches1733600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('events', new TableColumn({ name: 'signal_matches', type: 'text', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('events', 'signal_matches');
  }
}
