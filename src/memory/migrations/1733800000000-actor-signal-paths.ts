import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** The latest 404/401/400 occurrences per actor with their path's hash: rules count distinct paths in a window. */
export class ActorSignalPaths1733800000000 implements MigrationInterface {
  name = 'ActorSignalPaths1733800000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'actors',
      new TableColumn({ name: 'signal_paths', type: 'text', isNullable: false, default: "'{}'" }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('actors', 'signal_paths');
  }
}
