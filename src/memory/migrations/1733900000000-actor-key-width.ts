import { MigrationInterface, QueryRunner } from 'typeorm';

/** Where an actor key is stored: host-name and local keys (common/actor-key.ts) run to 350 characters. */
const ACTOR_KEY_COLUMNS: readonly [table: string, column: string][] = [
  ['events', 'actor_ip'],
  ['actors', 'ip'],
  ['verdicts', 'actor_ip'],
  ['decisions', 'value'],
];

/** Widest key: a 96-character user, `@`, a 253-character host name, with room to spare. */
export const ACTOR_KEY_LENGTH = 400;

/**
 * Actor keys wider than an address. SQLite does not enforce a varchar's length, so only
 * PostgreSQL's columns change (each ALTER keeps the column's indexes and constraints).
 */
export class ActorKeyWidth1733900000000 implements MigrationInterface {
  name = 'ActorKeyWidth1733900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await this.resize(queryRunner, () => ACTOR_KEY_LENGTH);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await this.resize(queryRunner, (column) => (column === 'value' ? 64 : 45));
  }

  private async resize(queryRunner: QueryRunner, length: (column: string) => number): Promise<void> {
    if (queryRunner.connection.options.type !== 'postgres') {
      return;
    }
    for (const [table, column] of ACTOR_KEY_COLUMNS) {
      await queryRunner.query(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE varchar(${length(column)})`);
    }
  }
}
