import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Governance: privileges by consensus, and the public view of admin actions.
 * - the `observer` role (reads what an admin reads, changes nothing);
 * - the instance's bootstrap, one row: its first admin, who alone may grant admin and ccj until the
 *   first adopted board proposal ends it (and which one, and when). An instance that already has
 *   accounts takes its oldest admin as bootstrap admin, and its first adopted board proposal, if any,
 *   as having ended the bootstrap;
 * - privilege proposals: a board proposal to grant or remove a role or a board seat, at most one open
 *   per account and privilege;
 * - a random key per subject, whose HMAC of the subject id is its pseudonym in the public view; a
 *   forgotten key stays as a row without key, so that no new key (and so no linkable pseudonym) is
 *   made for that subject again;
 * - the public view reads the ledger's leaves by the role of their actor: a partial index over the
 *   roles it shows (the function must be IMMUTABLE to index: the leaf bytes are UTF-8 JSON, which
 *   no setting changes the reading of).
 */
export class Governance1764300600000 implements MigrationInterface {
  name = 'Governance1764300600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE accounts DROP CONSTRAINT accounts_roles_check`);
    await q.query(
      `ALTER TABLE accounts ADD CONSTRAINT accounts_roles_check CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['admin', 'technician', 'ccj', 'member', 'observer'])`,
    );

    await q.query(`
      CREATE TABLE instance_bootstrap (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        account_id uuid REFERENCES accounts (id),
        began_at timestamptz,
        ended_at timestamptz,
        ended_by_proposal uuid REFERENCES proposals (id),
        CHECK ((account_id IS NULL) = (began_at IS NULL)),
        CHECK ((ended_at IS NULL) = (ended_by_proposal IS NULL))
      )`);
    await q.query(`
      INSERT INTO instance_bootstrap (account_id, began_at, ended_at, ended_by_proposal)
      SELECT first_admin.id, first_admin.created_at, first_adopted.closed_at, first_adopted.id
        FROM (SELECT 1) AS one
        LEFT JOIN LATERAL (SELECT id, created_at FROM accounts WHERE 'admin' = ANY (roles) ORDER BY created_at, id LIMIT 1) first_admin ON true
        LEFT JOIN LATERAL (SELECT id, closed_at FROM proposals WHERE circle = 'board' AND status = 'adopted' ORDER BY closed_at, id LIMIT 1) first_adopted ON true`);

    await q.query(`
      CREATE TABLE privilege_proposals (
        id uuid PRIMARY KEY,
        proposal_id uuid NOT NULL UNIQUE REFERENCES proposals (id),
        account_id uuid NOT NULL REFERENCES accounts (id),
        privilege text NOT NULL CHECK (privilege IN ('admin', 'ccj', 'board')),
        change text NOT NULL CHECK (change IN ('grant', 'revoke')),
        status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'adopted', 'rejected')),
        opened_at timestamptz NOT NULL,
        closed_at timestamptz,
        not_applied text,
        CHECK ((status = 'open') = (closed_at IS NULL)),
        CHECK (not_applied IS NULL OR status = 'adopted')
      )`);
    await q.query(`CREATE UNIQUE INDEX privilege_proposals_open_idx ON privilege_proposals (account_id, privilege) WHERE status = 'open'`);

    await q.query(`
      CREATE TABLE subject_pseudonym_keys (
        subject uuid PRIMARY KEY,
        key bytea CHECK (octet_length(key) = 32),
        created_at timestamptz NOT NULL,
        forgotten_at timestamptz,
        CHECK ((key IS NULL) = (forgotten_at IS NOT NULL))
      )`);

    await q.query(`
      CREATE FUNCTION ledger_is_admin_action(leaf bytea) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
        SELECT (convert_from(leaf, 'UTF8')::jsonb #>> '{actor,role}') IN ('admin', 'ccj', 'observer', 'system')
      $$`);
    await q.query(`CREATE INDEX ledger_leaves_admin_actions_idx ON ledger_leaves (index) WHERE ledger_is_admin_action(leaf)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX ledger_leaves_admin_actions_idx`);
    await q.query(`DROP FUNCTION ledger_is_admin_action(bytea)`);
    await q.query(`DROP TABLE subject_pseudonym_keys`);
    await q.query(`DROP TABLE privilege_proposals`);
    await q.query(`DROP TABLE instance_bootstrap`);
    await q.query(`UPDATE accounts SET roles = array_remove(roles, 'observer') WHERE 'observer' = ANY (roles) AND cardinality(roles) > 1`);
    await q.query(`ALTER TABLE accounts DROP CONSTRAINT accounts_roles_check`);
    await q.query(`ALTER TABLE accounts ADD CONSTRAINT accounts_roles_check CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['admin', 'technician', 'ccj', 'member'])`);
  }
}
