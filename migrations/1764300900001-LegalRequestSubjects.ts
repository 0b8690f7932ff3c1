import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whom a legal request concerns: the members found holding one of its selectors when it was
 * disclosed, and for each selector what was disclosed about its holder (the names of the disclosed
 * entry's fields, never their values). One holder per selector, whatever code writes it. `told_at`
 * and `notice_id` say when the member was told the request is no longer gagged, which happens once:
 * both are set together, by the gag check, and never cleared.
 */
export class LegalRequestSubjects1764300900001 implements MigrationInterface {
  name = 'LegalRequestSubjects1764300900001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE legal_request_subjects (
        request_id uuid NOT NULL REFERENCES legal_requests (id) ON DELETE CASCADE,
        subscriber_id uuid NOT NULL REFERENCES subscribers (id),
        found_at timestamptz NOT NULL,
        told_at timestamptz CHECK (told_at >= found_at),
        notice_id uuid UNIQUE,
        PRIMARY KEY (request_id, subscriber_id),
        CONSTRAINT legal_request_subjects_told CHECK ((told_at IS NULL) = (notice_id IS NULL))
      )`);
    await q.query(`CREATE INDEX legal_request_subjects_subscriber ON legal_request_subjects (subscriber_id)`);
    await q.query(`CREATE INDEX legal_request_subjects_untold ON legal_request_subjects (request_id) WHERE told_at IS NULL`);
    await q.query(`
      CREATE TABLE legal_request_subject_selectors (
        request_id uuid NOT NULL,
        position integer NOT NULL,
        subscriber_id uuid NOT NULL,
        disclosed text[] NOT NULL CHECK (disclosed <@ ARRAY['memberNumber', 'legalName', 'verifiedContact']),
        PRIMARY KEY (request_id, position),
        FOREIGN KEY (request_id, position) REFERENCES legal_request_selectors (request_id, position) ON DELETE CASCADE,
        FOREIGN KEY (request_id, subscriber_id) REFERENCES legal_request_subjects (request_id, subscriber_id) ON DELETE CASCADE
      )`);
    // The gag check looks for requests whose gag has passed.
    await q.query(`CREATE INDEX legal_requests_gag_until ON legal_requests (gag_until) WHERE gag_until IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX legal_requests_gag_until`);
    await q.query(`DROP TABLE legal_request_subject_selectors`);
    await q.query(`DROP TABLE legal_request_subjects`);
  }
}
