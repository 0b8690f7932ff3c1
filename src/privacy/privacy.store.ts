/** The privacy context's SQL, as plain functions over the caller's EntityManager (and so its transaction). */
import type { EntityManager } from 'typeorm';

export interface PolicyOverrideRow {
  category: string;
  days: number;
  justification: string | null;
  setBy: string | null;
  setAt: Date;
}

export async function readPolicyOverrides(em: EntityManager): Promise<PolicyOverrideRow[]> {
  const rows: { category: string; days: number; justification: string | null; set_by: string | null; set_at: Date }[] = await em.query(
    'SELECT category, days, justification, set_by, set_at FROM retention_policy_overrides ORDER BY category',
  );
  return rows.map((row) => ({ category: row.category, days: row.days, justification: row.justification, setBy: row.set_by, setAt: row.set_at }));
}

/** Sets a category's override and answers the one it replaces, if any, read under the row's lock. */
export async function upsertPolicyOverride(em: EntityManager, row: PolicyOverrideRow): Promise<{ days: number } | undefined> {
  const [previous]: { days: number }[] = await em.query('SELECT days FROM retention_policy_overrides WHERE category = $1 FOR UPDATE', [row.category]);
  await em.query(
    `INSERT INTO retention_policy_overrides (category, days, justification, set_by, set_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (category) DO UPDATE SET days = excluded.days, justification = excluded.justification, set_by = excluded.set_by, set_at = excluded.set_at`,
    [row.category, row.days, row.justification, row.setBy, row.setAt],
  );
  return previous;
}

/** One retention run at a time (the daily job and an admin's run may meet): the second waits for the first to commit. */
export async function lockRetentionRun(em: EntityManager): Promise<void> {
  await em.query(`SELECT pg_advisory_xact_lock(hashtext('lanterne.retention-run'))`);
}

/**
 * A run deletes in set-based statements that may take longer than a request's statement timeout
 * on a long history; within its own transaction only, it has a bound of its own.
 */
export async function allowLongStatements(em: EntityManager, timeoutMs: number): Promise<void> {
  await em.query(`SELECT set_config('statement_timeout', $1, true)`, [String(timeoutMs)]);
}
