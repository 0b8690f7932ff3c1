/**
 * The change feed's SQL, over the caller's EntityManager (and so its transaction). The table and its
 * constraints are in migrations/1764100300000-ProvisioningChanges.ts.
 */
import type { EntityManager } from 'typeorm';
import type { ProvisioningChange, ProvisioningChangeKind } from './provisioning-change';

/**
 * Writers of the feed queue here from their insert until they commit, so sequence numbers become
 * visible in order: a reader that sees seq n will never later see a smaller one appear, which is
 * what makes `?since=n` safe. (Without it, a transaction that took n−1 could commit after one that
 * took n.) The key is arbitrary; it only has to be this one everywhere.
 */
export const FEED_LOCK = 0x1a7e_0001;

export interface ChangeRow {
  seq: string;
  kind: ProvisioningChangeKind;
  subscription_id: string;
  details: Record<string, string | null>;
  at: Date;
  delivered_at: Date | null;
  delivery_failed_at: Date | null;
}

export async function insertChange(em: EntityManager, change: ProvisioningChange, at: Date): Promise<string> {
  await em.query(`SELECT pg_advisory_xact_lock($1)`, [FEED_LOCK]);
  const [row]: { seq: string }[] = await em.query(
    `INSERT INTO provisioning_changes (kind, subscription_id, details, at) VALUES ($1, $2, $3, $4) RETURNING seq`,
    [change.kind, change.subscriptionId, JSON.stringify(change.details), at],
  );
  return row.seq;
}

/** Changes after `since`, oldest first. */
export function changesSince(em: EntityManager, since: number, limit: number): Promise<ChangeRow[]> {
  return em.query(`SELECT * FROM provisioning_changes WHERE seq > $1 ORDER BY seq LIMIT $2`, [since, limit]);
}

export async function findChange(em: EntityManager, seq: string): Promise<ChangeRow | undefined> {
  const [row]: ChangeRow[] = await em.query(`SELECT * FROM provisioning_changes WHERE seq = $1`, [seq]);
  return row;
}

export async function markDelivered(em: EntityManager, seq: string, at: Date): Promise<void> {
  await em.query(`UPDATE provisioning_changes SET delivered_at = $2 WHERE seq = $1 AND delivery_failed_at IS NULL`, [seq, at]);
}

export async function markDeliveryFailed(em: EntityManager, seq: string, at: Date): Promise<void> {
  await em.query(`UPDATE provisioning_changes SET delivery_failed_at = $2 WHERE seq = $1 AND delivered_at IS NULL`, [seq, at]);
}

/** Changes recorded before `before` whose webhook neither went out nor gave up: their job was lost. */
export async function pendingBefore(em: EntityManager, before: Date, limit: number): Promise<string[]> {
  const rows: { seq: string }[] = await em.query(
    `SELECT seq FROM provisioning_changes WHERE delivered_at IS NULL AND delivery_failed_at IS NULL AND at < $1 ORDER BY seq LIMIT $2`,
    [before, limit],
  );
  return rows.map((row) => row.seq);
}

/** The last sequence number pruned: a cursor below it may have missed changes. */
export async function prunedThrough(em: EntityManager): Promise<number> {
  const [row]: { pruned_through: string }[] = await em.query(`SELECT pruned_through FROM provisioning_feed_horizon`);
  return Number(row.pruned_through);
}

/** Deletes the changes recorded before `before` and moves the horizon past them; answers how many went. */
export async function pruneBefore(em: EntityManager, before: Date): Promise<number> {
  const [[row]]: [{ count: string }[], number] = await em.query(
    `WITH gone AS (DELETE FROM provisioning_changes WHERE at < $1 RETURNING seq)
     UPDATE provisioning_feed_horizon SET pruned_through = greatest(pruned_through, coalesce((SELECT max(seq) FROM gone), 0))
     RETURNING (SELECT count(*) FROM gone) AS count`,
    [before],
  );
  return Number(row.count);
}
