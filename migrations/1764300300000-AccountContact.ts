import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a staff account is told of what its circles decide (an e-mail address of its holder's
 * choosing) and in which language. A member account has neither: the association writes to a
 * member at the subscriber's own address.
 */
export class AccountContact1764300300000 implements MigrationInterface {
  name = 'AccountContact1764300300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE accounts
        ADD COLUMN email text CHECK (length(email) BETWEEN 3 AND 254),
        ADD COLUMN language text CHECK (language IN ('fr', 'en'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts DROP COLUMN language, DROP COLUMN email`);
  }
}
