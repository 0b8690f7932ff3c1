import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The warrant canary: each statement the ccj circle was asked to adopt, with its outcome; an issued
 * one carries its issue instant, its Ed25519 signature by the ledger key and that key. Every canary
 * is kept as history, and once decided a row never changes (a trigger refuses it), so a lapsed
 * canary cannot be quietly re-dated. The warnings sent before a canary lapses are one row per
 * threshold: sent once, whichever worker runs the sweep.
 */
export class Canary1764300800000 implements MigrationInterface {
  name = 'Canary1764300800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE canaries (
        id uuid PRIMARY KEY,
        proposal_id uuid NOT NULL UNIQUE REFERENCES proposals (id),
        statement text NOT NULL CHECK (length(statement) BETWEEN 1 AND 5000),
        renew_by timestamptz NOT NULL,
        proposed_by uuid REFERENCES accounts (id),
        proposed_at timestamptz NOT NULL CHECK (renew_by > proposed_at),
        outcome text NOT NULL CHECK (outcome IN ('open', 'issued', 'rejected', 'not-issued')),
        issued_at timestamptz CHECK (renew_by > issued_at),
        signature text,
        public_key text,
        CONSTRAINT canaries_issued CHECK ((outcome = 'issued') = (issued_at IS NOT NULL AND signature IS NOT NULL AND public_key IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX canaries_issued_at ON canaries (issued_at DESC, id) WHERE outcome = 'issued'`);
    await q.query(`
      CREATE FUNCTION canaries_refuse_rewrite() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' OR OLD.outcome <> 'open' THEN
          RAISE EXCEPTION 'a decided canary is never changed nor deleted' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER canaries_decided_once BEFORE UPDATE OR DELETE ON canaries FOR EACH ROW EXECUTE FUNCTION canaries_refuse_rewrite()`);
    await q.query(`
      CREATE TABLE canary_warnings (
        canary_id uuid NOT NULL REFERENCES canaries (id),
        days_before integer NOT NULL CHECK (days_before > 0),
        warned_at timestamptz NOT NULL,
        PRIMARY KEY (canary_id, days_before)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE canary_warnings`);
    await q.query(`DROP TABLE canaries`);
    await q.query(`DROP FUNCTION canaries_refuse_rewrite()`);
  }
}
