import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** The original text of an event (the raw line, or ECS `event.original`), kept locally only. */
export class EventOriginal1732700000000 implements MigrationInterface {
  name = 'EventOriginal1732700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn('events', new TableColumn({ name: 'original', type: 'text', isNullable: true }));
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('events', 'original');
  }
}
