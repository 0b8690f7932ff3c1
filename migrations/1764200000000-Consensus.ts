import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Consensus: the circles' memberships (a ccj membership carries its accreditation), proposals and
 * every position ever taken on them. A membership ends (left_at) rather than being deleted, and a
 * changed position is superseded rather than overwritten: both are history the ledger refers to.
 */
export class Consensus1764200000000 implements MigrationInterface {
  name = 'Consensus1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE circle_memberships (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        circle text NOT NULL CHECK (circle IN ('ccj', 'board')),
        account_id uuid NOT NULL REFERENCES accounts (id),
        joined_at timestamptz NOT NULL,
        left_at timestamptz CHECK (left_at >= joined_at),
        accredited_on date,
        accreditation_expires_on date,
        accreditation_authority text CHECK (length(accreditation_authority) BETWEEN 1 AND 200),
        CONSTRAINT circle_memberships_accreditation CHECK (
          CASE WHEN circle = 'ccj'
               THEN accredited_on IS NOT NULL AND accreditation_expires_on > accredited_on AND accreditation_authority IS NOT NULL
               ELSE accredited_on IS NULL AND accreditation_expires_on IS NULL AND accreditation_authority IS NULL END)
      )`);
    // One current membership per person and circle; ended ones stay as history.
    await q.query(`CREATE UNIQUE INDEX circle_memberships_current_idx ON circle_memberships (circle, account_id) WHERE left_at IS NULL`);

    await q.query(`
      CREATE TABLE proposals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
        body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
        circle text NOT NULL CHECK (circle IN ('ccj', 'board')),
        quorum integer NOT NULL CHECK (quorum BETWEEN 1 AND 1000),
        blind boolean NOT NULL,
        closes_at timestamptz,
        binding jsonb,
        status text NOT NULL CHECK (status IN ('open', 'adopted', 'rejected')),
        tally jsonb,
        opened_by uuid REFERENCES accounts (id),
        opened_at timestamptz NOT NULL,
        closed_at timestamptz,
        CONSTRAINT proposals_closed CHECK ((status = 'open') = (closed_at IS NULL) AND (status = 'open') = (tally IS NULL))
      )`);
    // What a proposal decides about (a legal request...): at most one open proposal per bound thing.
    await q.query(`CREATE UNIQUE INDEX proposals_open_binding_idx ON proposals (binding) WHERE status = 'open' AND binding IS NOT NULL`);

    // The close sweep reads the open proposals with a deadline.
    await q.query(`CREATE INDEX proposals_open_deadline_idx ON proposals (closes_at) WHERE status = 'open' AND closes_at IS NOT NULL`);

    await q.query(`
      CREATE TABLE proposal_positions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        proposal_id uuid NOT NULL REFERENCES proposals (id),
        account_id uuid NOT NULL REFERENCES accounts (id),
        position text NOT NULL CHECK (position IN ('consent', 'concern', 'stand-aside', 'block')),
        reason text CHECK (length(reason) BETWEEN 1 AND 5000),
        taken_at timestamptz NOT NULL,
        superseded_at timestamptz CHECK (superseded_at >= taken_at),
        CONSTRAINT proposal_positions_reason CHECK (position NOT IN ('block', 'concern') OR reason IS NOT NULL)
      )`);
    await q.query(`CREATE UNIQUE INDEX proposal_positions_current_idx ON proposal_positions (proposal_id, account_id) WHERE superseded_at IS NULL`);
    await q.query(`CREATE INDEX proposal_positions_history_idx ON proposal_positions (proposal_id, taken_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE proposal_positions`);
    await q.query(`DROP TABLE proposals`);
    await q.query(`DROP TABLE circle_memberships`);
  }
}
