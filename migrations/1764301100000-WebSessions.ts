import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Page sessions and members' sign-in links. A session is known by the SHA-256 of its cookie, so a
 * dump opens none; a link is known by its id alone, its token being a MAC of that id under a key
 * derived from the master key, so nothing secret is stored for it either.
 */
export class WebSessions1764301100000 implements MigrationInterface {
  name = 'WebSessions1764301100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE web_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        cookie_hash bytea NOT NULL UNIQUE CHECK (length(cookie_hash) = 32),
        account_id uuid NOT NULL REFERENCES accounts (id),
        created_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL CHECK (last_seen_at >= created_at),
        expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
        ended_at timestamptz CHECK (ended_at >= created_at)
      )`);
    await q.query(`CREATE INDEX web_sessions_account ON web_sessions (account_id) WHERE ended_at IS NULL`);
    await q.query(`
      CREATE TABLE web_sign_in_links (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        account_id uuid NOT NULL REFERENCES accounts (id),
        created_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL CHECK (expires_at > created_at),
        used_at timestamptz CHECK (used_at >= created_at)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE web_sign_in_links`);
    await q.query(`DROP TABLE web_sessions`);
  }
}
