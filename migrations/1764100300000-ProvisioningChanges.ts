import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The change feed the routers follow (GET /provisioning/changes?since=) and the state of each
 * change's webhook. `seq` orders the feed: writers take the feed lock before their insert (see
 * src/provisioning/provisioning.store.ts), so a reader that has seen seq n has seen every change
 * below n that will ever commit. A change goes with its subscription, and is pruned after
 * LANTERNE_PROVISIONING_FEED_DAYS: `provisioning_feed_horizon` records the last sequence number
 * pruned, so that a router asking from before it is told to resynchronise instead of missing changes.
 */
export class ProvisioningChanges1764100300000 implements MigrationInterface {
  name = 'ProvisioningChanges1764100300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE provisioning_changes (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL CHECK (kind IN ('assignment.created', 'assignment.released', 'ptr.changed', 'peer.changed')),
        subscription_id uuid NOT NULL REFERENCES subscriptions (id) ON DELETE CASCADE,
        details jsonb NOT NULL CHECK (jsonb_typeof(details) = 'object'),
        at timestamptz NOT NULL,
        delivered_at timestamptz,
        delivery_failed_at timestamptz,
        CONSTRAINT provisioning_changes_one_outcome CHECK (delivered_at IS NULL OR delivery_failed_at IS NULL)
      )`);
    await q.query(`CREATE INDEX provisioning_changes_subscription_idx ON provisioning_changes (subscription_id)`);
    await q.query(`CREATE INDEX provisioning_changes_pending_idx ON provisioning_changes (seq) WHERE delivered_at IS NULL AND delivery_failed_at IS NULL`);
    await q.query(`CREATE INDEX provisioning_changes_at_idx ON provisioning_changes (at)`);
    await q.query(`
      CREATE TABLE provisioning_feed_horizon (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        pruned_through bigint NOT NULL DEFAULT 0 CHECK (pruned_through >= 0)
      )`);
    await q.query(`INSERT INTO provisioning_feed_horizon DEFAULT VALUES`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE provisioning_feed_horizon`);
    await q.query(`DROP TABLE provisioning_changes`);
  }
}
