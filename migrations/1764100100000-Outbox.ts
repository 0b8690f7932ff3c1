import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outgoing messages: what was asked (kind, channel, the id the content is read from) and how sending
 * went. Never the address nor the body: they are rendered at send time and leave with the message.
 */
export class Outbox1764100100000 implements MigrationInterface {
  name = 'Outbox1764100100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_messages (
        id uuid PRIMARY KEY,
        kind text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('sms', 'postal', 'email')),
        ref uuid NOT NULL,
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'dropped')),
        attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        last_error text CHECK (length(last_error) <= 200),
        created_at timestamptz NOT NULL,
        sent_at timestamptz,
        failed_at timestamptz,
        dropped_at timestamptz,
        CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
        CHECK ((status = 'failed') = (failed_at IS NOT NULL)),
        CHECK ((status = 'dropped') = (dropped_at IS NOT NULL))
      )`);
    // The sweep reads the queued messages; the technician's list reads the newest first.
    await q.query(`CREATE INDEX outbox_messages_queued ON outbox_messages (created_at) WHERE status = 'queued'`);
    await q.query(`CREATE INDEX outbox_messages_newest ON outbox_messages (created_at DESC, id)`);
    await q.query(`CREATE INDEX outbox_messages_ref ON outbox_messages (ref)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE outbox_messages`);
  }
}
