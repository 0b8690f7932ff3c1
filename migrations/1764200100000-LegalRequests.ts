import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Requests from the justice system, as the ccj circle receives them: who asks, under which basis, for
 * which selectors (an address at an instant, in UTC), and the authority's documents. Each request has
 * its own key, wrapped by the master key (named by fingerprint, so a rotation cannot drop a key that
 * still wraps one); documents and their file names are stored only sealed under it.
 */
export class LegalRequests1764200100000 implements MigrationInterface {
  name = 'LegalRequests1764200100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE legal_requests (
        id uuid PRIMARY KEY,
        authority text NOT NULL CHECK (length(authority) BETWEEN 1 AND 500),
        reference text NOT NULL CHECK (length(reference) BETWEEN 1 AND 200),
        legal_basis text NOT NULL CHECK (length(legal_basis) BETWEEN 1 AND 2000),
        kind text NOT NULL CHECK (kind IN ('identification', 'traffic-data', 'interception', 'other')),
        status text NOT NULL CHECK (status IN ('received')),
        received_at timestamptz NOT NULL,
        due_at timestamptz,
        gag_until timestamptz,
        wrapped_key bytea NOT NULL,
        master_key text NOT NULL REFERENCES master_keys (fingerprint),
        created_by uuid REFERENCES accounts (id),
        created_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX legal_requests_received_at ON legal_requests (received_at DESC, id)`);
    await q.query(`
      CREATE TABLE legal_request_selectors (
        request_id uuid NOT NULL REFERENCES legal_requests (id) ON DELETE CASCADE,
        position integer NOT NULL CHECK (position >= 0),
        address inet NOT NULL CHECK (masklen(address) = CASE family(address) WHEN 4 THEN 32 ELSE 128 END),
        at timestamptz NOT NULL,
        PRIMARY KEY (request_id, position)
      )`);
    await q.query(`
      CREATE TABLE legal_request_documents (
        id uuid PRIMARY KEY,
        request_id uuid NOT NULL REFERENCES legal_requests (id) ON DELETE CASCADE,
        content_type text NOT NULL CHECK (content_type IN ('application/pdf', 'image/png', 'image/jpeg')),
        size integer NOT NULL CHECK (size > 0),
        sealed_filename bytea NOT NULL,
        sealed_content bytea NOT NULL,
        attached_by uuid REFERENCES accounts (id),
        attached_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX legal_request_documents_request ON legal_request_documents (request_id, attached_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE legal_request_documents`);
    await q.query(`DROP TABLE legal_request_selectors`);
    await q.query(`DROP TABLE legal_requests`);
  }
}
