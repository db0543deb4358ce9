import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * The name of the ingest token an event came with (SOC_INGEST_TOKENS), so forwarders can be
 * told apart and a rotated key traced. Null for events from open routes and from syslog.
 */
export class EventIngestSource1733000000000 implements MigrationInterface {
  name = 'EventIngestSource1733000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'events',
      new TableColumn({ name: 'ingest_source', type: 'varchar', length: '64', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('events', 'ingest_source');
  }
}
