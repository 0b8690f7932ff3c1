import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The identity vault. Nothing here is readable without the master key, which never enters the
 * database: a data key per subscriber, stored wrapped under the master key; verified identities and
 * pending verifications, sealed under that data key. Deleting a subscriber's data key (crypto-shredding)
 * deletes what it sealed with it, and makes any backup of those rows unreadable.
 *
 * `master_keys` names the keys by fingerprint: the `current` one is the key the service must start
 * with; `next` exists while a rotation is under way. Every data key names the key that wraps it, so
 * a rotation's remaining work is a query, and the old key's row can only go once nothing uses it.
 */
export class IdentityVault1764100000000 implements MigrationInterface {
  name = 'IdentityVault1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE master_keys (
        fingerprint text PRIMARY KEY CHECK (fingerprint ~ '^[0-9a-f]{32}$'),
        status text NOT NULL CHECK (status IN ('current', 'next')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX master_keys_one_per_status ON master_keys (status)`);
    await q.query(`
      CREATE TABLE subscriber_data_keys (
        subscriber_id uuid PRIMARY KEY REFERENCES subscribers (id),
        wrapped bytea NOT NULL,
        master_key text NOT NULL REFERENCES master_keys (fingerprint),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX subscriber_data_keys_master_key_idx ON subscriber_data_keys (master_key)`);
    // One verified identity per subscriber, replaced only when a new verification succeeds.
    await q.query(`
      CREATE TABLE identities (
        subscriber_id uuid PRIMARY KEY REFERENCES subscriber_data_keys (subscriber_id) ON DELETE CASCADE,
        legal_name bytea,
        contact_method text NOT NULL CHECK (contact_method IN ('sms', 'postal')),
        contact bytea NOT NULL,
        verified_at timestamptz NOT NULL,
        verification_id uuid NOT NULL
      )`);
    // While a verification is pending it holds its code (HMAC to check it, sealed copy to send and
    // print it) and the contact being verified; all of it is erased when the verification ends.
    await q.query(`
      CREATE TABLE verifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subscriber_id uuid NOT NULL REFERENCES subscriber_data_keys (subscriber_id) ON DELETE CASCADE,
        method text NOT NULL CHECK (method IN ('sms', 'postal')),
        status text NOT NULL CHECK (status IN ('sent', 'verified', 'locked', 'expired')),
        code_hash bytea CHECK (octet_length(code_hash) = 32),
        sealed_code bytea,
        pending_legal_name bytea,
        pending_contact bytea,
        attempts smallint NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 5),
        sends smallint NOT NULL DEFAULT 1 CHECK (sends BETWEEN 1 AND 3),
        last_sent_at timestamptz NOT NULL,
        last_message_id uuid,
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL,
        ended_at timestamptz,
        CHECK (CASE WHEN status = 'sent'
                    THEN code_hash IS NOT NULL AND sealed_code IS NOT NULL AND pending_contact IS NOT NULL AND ended_at IS NULL
                    ELSE num_nonnulls(code_hash, sealed_code, pending_legal_name, pending_contact) = 0 AND ended_at IS NOT NULL END),
        CHECK ((attempts = 5) = (status = 'locked'))
      )`);
    await q.query(`CREATE INDEX verifications_subscriber_idx ON verifications (subscriber_id, created_at)`);
    await q.query(`CREATE INDEX verifications_pending_idx ON verifications (method, created_at) WHERE status = 'sent'`);

    // A rotation re-seals the ledger's personal values under the new master key: the one change to
    // them besides erasure, allowed only to a transaction that says it rotates. The leaf holds the
    // commitment, not the sealed value, so the tree is untouched.
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger_personal_values_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.leaf_index = OLD.leaf_index AND NEW.name = OLD.name
           AND OLD.sealed IS NOT NULL AND NEW.sealed IS NULL AND NEW.erased_at IS NOT NULL THEN
          RETURN NEW;
        END IF;
        IF TG_OP = 'UPDATE' AND current_setting('lanterne.rotating_master_key', true) = 'on'
           AND NEW.leaf_index = OLD.leaf_index AND NEW.name = OLD.name
           AND OLD.sealed IS NOT NULL AND NEW.sealed IS NOT NULL AND NEW.erased_at IS NULL AND OLD.erased_at IS NULL THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'a personal value held beside the ledger can only be erased';
      END $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE OR REPLACE FUNCTION ledger_personal_values_erase_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND NEW.leaf_index = OLD.leaf_index AND NEW.name = OLD.name
           AND OLD.sealed IS NOT NULL AND NEW.sealed IS NULL AND NEW.erased_at IS NOT NULL THEN
          RETURN NEW;
        END IF;
        RAISE EXCEPTION 'a personal value held beside the ledger can only be erased';
      END $$`);
    await q.query(`DROP TABLE verifications`);
    await q.query(`DROP TABLE identities`);
    await q.query(`DROP TABLE subscriber_data_keys`);
    await q.query(`DROP TABLE master_keys`);
  }
}
