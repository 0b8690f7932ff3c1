import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The retention engine: the admins' overrides of the jurisdiction profile's figures, a subscriber
 * record whose personal fields retention can erase (the row, member number and status stay, so that
 * subscriptions and history keep their references), and the indexes a daily run's purges read.
 */
export class Retention1764100200000 implements MigrationInterface {
  name = 'Retention1764100200000';

  async up(q: QueryRunner): Promise<void> {
    // set_by: the account id (null when the system set it); no foreign key, like the ledger's actors.
    await q.query(`
      CREATE TABLE retention_policy_overrides (
        category text PRIMARY KEY CHECK (category ~ '^[a-z][a-z-]{0,63}$'),
        days integer NOT NULL CHECK (days BETWEEN 0 AND 36500),
        justification text CHECK (length(justification) BETWEEN 1 AND 2000),
        set_by uuid,
        set_at timestamptz NOT NULL
      )`);

    await q.query(`ALTER TABLE subscribers ALTER COLUMN display_name DROP NOT NULL, ALTER COLUMN email DROP NOT NULL, ADD COLUMN erased_at timestamptz`);
    await q.query(`
      ALTER TABLE subscribers ADD CONSTRAINT subscribers_erased_fields CHECK (
        CASE WHEN erased_at IS NULL THEN display_name IS NOT NULL AND email IS NOT NULL
             ELSE display_name IS NULL AND email IS NULL AND status = 'terminated' END)`);
    await q.query(`CREATE INDEX subscribers_awaiting_erasure_idx ON subscribers (terminated_at) WHERE terminated_at IS NOT NULL AND erased_at IS NULL`);

    // The daily purge of IP history reads the ended assignments by age, however long the history.
    await q.query(`CREATE INDEX ip_assignments_ended_idx ON ip_assignments (valid_until) WHERE valid_until IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ip_assignments_ended_idx`);
    await q.query(`DROP INDEX subscribers_awaiting_erasure_idx`);
    await q.query(`ALTER TABLE subscribers DROP CONSTRAINT subscribers_erased_fields`);
    await q.query(`ALTER TABLE subscribers DROP COLUMN erased_at, ALTER COLUMN display_name SET NOT NULL, ALTER COLUMN email SET NOT NULL`);
    await q.query(`DROP TABLE retention_policy_overrides`);
  }
}
