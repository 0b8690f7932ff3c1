import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the authority owes the association for answering a request, and where the claim stands: at
 * most one per request. The checks hold the dates to the status whatever code writes them: a claim
 * not made has no date, a paid one has the date it was paid, never before it was claimed.
 */
export class LegalRequestCompensation1764300700001 implements MigrationInterface {
  name = 'LegalRequestCompensation1764300700001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE legal_request_compensations (
        request_id uuid PRIMARY KEY REFERENCES legal_requests (id) ON DELETE CASCADE,
        amount numeric(12, 2) NOT NULL CHECK (amount >= 0),
        currency char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
        status text NOT NULL CHECK (status IN ('not-claimed', 'claimed', 'paid', 'refused')),
        claimed_on date,
        paid_on date CHECK (paid_on >= claimed_on),
        note text CHECK (length(note) BETWEEN 1 AND 2000),
        updated_by uuid REFERENCES accounts (id),
        updated_at timestamptz NOT NULL,
        CONSTRAINT legal_request_compensations_claimed CHECK ((status = 'not-claimed') = (claimed_on IS NULL)),
        CONSTRAINT legal_request_compensations_paid CHECK ((status = 'paid') = (paid_on IS NOT NULL))
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE legal_request_compensations`);
  }
}
