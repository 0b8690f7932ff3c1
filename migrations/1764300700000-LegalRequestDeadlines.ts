import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The reminders of a request's deadline sent to the ccj circle: one row per request, kind and
 * deadline, written in the transaction of the notices it sent. The primary key is what makes a
 * reminder go out once, whatever the number of workers or runs; a deadline moved by the authority
 * is a new deadline, with reminders of its own.
 */
export class LegalRequestDeadlines1764300700000 implements MigrationInterface {
  name = 'LegalRequestDeadlines1764300700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE legal_request_reminders (
        request_id uuid NOT NULL REFERENCES legal_requests (id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('due-soon', 'overdue')),
        due_at timestamptz NOT NULL,
        sent_at timestamptz NOT NULL,
        PRIMARY KEY (request_id, kind, due_at)
      )`);
    // The sweep's question, and the list's nearest deadlines first: the requests still to answer, by deadline.
    await q.query(`CREATE INDEX legal_requests_open_due_at ON legal_requests (due_at, id) WHERE due_at IS NOT NULL AND status NOT IN ('answered', 'closed')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX legal_requests_open_due_at`);
    await q.query(`DROP TABLE legal_request_reminders`);
  }
}
