import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A member's requests to correct their record (GDPR art. 16). No value is in this table: the
 * proposed value, the member's note and a refusal's reason are personal values of the ledger entries
 * each row points at (sealed beside the leaf, re-sealed by a master key rotation, erased by
 * retention with the member's subscription data). One pending request per field and member.
 */
export class Rectifications1764301000000 implements MigrationInterface {
  name = 'Rectifications1764301000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE rectifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subscriber_id uuid NOT NULL REFERENCES subscribers (id),
        field text NOT NULL CHECK (field IN ('displayName', 'email', 'language')),
        status text NOT NULL CHECK (status IN ('pending', 'accepted', 'refused')),
        proposed_at timestamptz NOT NULL,
        proposed_by uuid REFERENCES accounts (id),
        proposal_entry bigint NOT NULL REFERENCES ledger_leaves (index),
        resolved_at timestamptz,
        resolved_by uuid REFERENCES accounts (id),
        resolution_entry bigint REFERENCES ledger_leaves (index),
        CHECK ((status = 'pending') = (resolved_at IS NULL)),
        CHECK ((resolved_at IS NULL) = (resolution_entry IS NULL)),
        CHECK (resolved_at >= proposed_at)
      )`);
    await q.query(`CREATE UNIQUE INDEX rectifications_one_pending_per_field ON rectifications (subscriber_id, field) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX rectifications_queue_idx ON rectifications (status, proposed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE rectifications`);
  }
}
