import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the ccj circle decided on a request, and what was disclosed. Every decision proposal opened on
 * a request stays as history (one row per proposal, never updated: its outcome is the proposal's).
 * A request has at most one disclosure (its primary key is the request): the answer, sealed under the
 * request key since it holds names and contacts, with the ledger index of the entry that records it.
 */
export class LegalRequestDecisions1764300100000 implements MigrationInterface {
  name = 'LegalRequestDecisions1764300100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE legal_request_decisions (
        proposal_id uuid PRIMARY KEY REFERENCES proposals (id),
        -- The order they were opened in, even within one clock tick: the latest is the one in force.
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        request_id uuid NOT NULL REFERENCES legal_requests (id) ON DELETE CASCADE,
        decision text NOT NULL CHECK (decision IN ('comply', 'contest', 'refuse')),
        rationale text NOT NULL CHECK (length(rationale) BETWEEN 1 AND 5000),
        opened_by uuid REFERENCES accounts (id),
        opened_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX legal_request_decisions_request ON legal_request_decisions (request_id, seq DESC)`);
    await q.query(`
      CREATE TABLE legal_request_disclosures (
        request_id uuid PRIMARY KEY REFERENCES legal_requests (id) ON DELETE CASCADE,
        sealed_entries bytea NOT NULL,
        matches integer NOT NULL CHECK (matches >= 0),
        no_matches integer NOT NULL CHECK (no_matches >= 0),
        ledger_index bigint NOT NULL CHECK (ledger_index >= 0),
        disclosed_by uuid REFERENCES accounts (id),
        disclosed_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE legal_request_disclosures`);
    await q.query(`DROP TABLE legal_request_decisions`);
  }
}
