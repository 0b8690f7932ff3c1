import { MigrationInterface, QueryRunner } from 'typeorm';

/** Accounts, subscribers and subscriptions. */
export class Foundation1763769600000 implements MigrationInterface {
  name = 'Foundation1763769600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`
      CREATE TABLE subscribers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        member_number integer NOT NULL CONSTRAINT subscribers_member_number_key UNIQUE,
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 200),
        email text NOT NULL,
        language text NOT NULL DEFAULT 'fr',
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'suspended', 'terminated')),
        terminated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'terminated') = (terminated_at IS NOT NULL))
      )`);
    await q.query(`CREATE INDEX subscribers_status_idx ON subscribers (status)`);
    await q.query(`CREATE TABLE member_number_counter (value integer NOT NULL, singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton))`);
    await q.query(`INSERT INTO member_number_counter (value) VALUES (0)`);
    await q.query(`
      CREATE TABLE subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subscriber_id uuid NOT NULL REFERENCES subscribers (id),
        service text NOT NULL CHECK (service IN ('vpn', 'fiber', 'dsl', 'housing')),
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended')),
        starts_at timestamptz NOT NULL,
        ends_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((status = 'ended') = (ends_at IS NOT NULL)),
        CHECK (ends_at IS NULL OR ends_at >= starts_at)
      )`);
    await q.query(`CREATE INDEX subscriptions_subscriber_idx ON subscriptions (subscriber_id)`);
    await q.query(`
      CREATE TABLE accounts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL,
        roles text[] NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['admin', 'technician', 'ccj', 'member']),
        subscriber_id uuid REFERENCES subscribers (id),
        token_hash bytea NOT NULL CONSTRAINT accounts_token_hash_key UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        CHECK (('member' = ANY (roles)) = (subscriber_id IS NOT NULL))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE accounts`);
    await q.query(`DROP TABLE subscriptions`);
    await q.query(`DROP TABLE member_number_counter`);
    await q.query(`DROP TABLE subscribers`);
  }
}
