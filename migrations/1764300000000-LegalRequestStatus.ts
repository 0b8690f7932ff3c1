import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A legal request's life: received → under-review → decided → answered → closed, with the adopted
 * decision and the instant of each step. The checks hold the dates and the decision to the status,
 * whatever code writes them: a request cannot be decided without a decision, nor closed without
 * having been answered.
 */
export class LegalRequestStatus1764300000000 implements MigrationInterface {
  name = 'LegalRequestStatus1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE legal_requests DROP CONSTRAINT legal_requests_status_check`);
    await q.query(`
      ALTER TABLE legal_requests
        ADD CONSTRAINT legal_requests_status_check CHECK (status IN ('received', 'under-review', 'decided', 'answered', 'closed')),
        ADD COLUMN decision text CHECK (decision IN ('comply', 'contest', 'refuse')),
        ADD COLUMN decided_at timestamptz,
        ADD COLUMN answered_at timestamptz CHECK (answered_at >= decided_at),
        ADD COLUMN closed_at timestamptz CHECK (closed_at >= answered_at),
        ADD CONSTRAINT legal_requests_decided CHECK ((status IN ('decided', 'answered', 'closed')) = (decision IS NOT NULL AND decided_at IS NOT NULL)),
        ADD CONSTRAINT legal_requests_answered CHECK ((status IN ('answered', 'closed')) = (answered_at IS NOT NULL)),
        ADD CONSTRAINT legal_requests_closed CHECK ((status = 'closed') = (closed_at IS NOT NULL))`);
    // Retention of request records counts from closing.
    await q.query(`CREATE INDEX legal_requests_closed_at ON legal_requests (closed_at) WHERE closed_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX legal_requests_closed_at`);
    await q.query(`
      ALTER TABLE legal_requests
        DROP CONSTRAINT legal_requests_closed, DROP CONSTRAINT legal_requests_answered, DROP CONSTRAINT legal_requests_decided,
        DROP COLUMN closed_at, DROP COLUMN answered_at, DROP COLUMN decided_at, DROP COLUMN decision,
        DROP CONSTRAINT legal_requests_status_check`);
    await q.query(`ALTER TABLE legal_requests ADD CONSTRAINT legal_requests_status_check CHECK (status IN ('received'))`);
  }
}
