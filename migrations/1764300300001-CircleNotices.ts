import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What a circle's members are told by e-mail (a proposal opened or closed, a deadline near): one row
 * per member told, which the outbox message points at. Parameters are ids, dates and outcomes,
 * never a title, a name or a reference: nothing of what a circle decides leaves through mail servers.
 */
export class CircleNotices1764300300001 implements MigrationInterface {
  name = 'CircleNotices1764300300001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE circle_notices (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        circle text NOT NULL CHECK (circle IN ('ccj', 'board')),
        account_id uuid NOT NULL REFERENCES accounts (id),
        kind text NOT NULL,
        params jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
        created_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE circle_notices`);
  }
}
