import { MigrationInterface, QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * How each event arrived: the ingest route or listener (`received_via`: ingest_batch, hec_raw,
 * syslog_tcp…) and the line format it was read as (`line_format`: json, syslog3164, access…),
 * so the console can show events per minute by source and format. Null for older rows and
 * for replays. The console's index by time covers the two instead of the event type, so the
 * count reads the index alone.
 */
export class EventArrival1733700000000 implements MigrationInterface {
  name = 'EventArrival1733700000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('events', [
      new TableColumn({ name: 'received_via', type: 'varchar', length: '16', isNullable: true }),
      new TableColumn({ name: 'line_format', type: 'varchar', length: '24', isNullable: true }),
    ]);
    await queryRunner.dropIndex('events', 'idx_events_received');
    await queryRunner.createIndex(
      'events',
      new TableIndex({ name: 'idx_events_received', columnNames: ['received_at', 'received_via', 'line_format'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('events', 'idx_events_received');
    await queryRunner.createIndex(
      'events',
      new TableIndex({ name: 'idx_events_received', columnNames: ['received_at', 'event_type'] }),
    );
    await queryRunner.dropColumn('events', 'line_format');
    await queryRunner.dropColumn('events', 'received_via');
  }
}
