import { MigrationInterface, QueryRunner, TableIndex } from 'typeorm';

/**
 * Events by arrival time: the console's events-per-minute reads only the last hour's rows
 * through it, however many million events the store holds.
 */
export class EventsReceivedIndex1733500000000 implements MigrationInterface {
  name = 'EventsReceivedIndex1733500000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createIndex(
      'events',
      new TableIndex({ name: 'idx_events_received', columnNames: ['received_at', 'event_type'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('events', 'idx_events_received');
  }
}
