/** The bootstrap row's SQL, over the caller's EntityManager (and so its transaction). */
import type { EntityManager } from 'typeorm';
import type { BootstrapState } from './privileges';

/**
 * With `lock`, the row is held in share mode until the transaction ends: a direct change made under
 * the bootstrap commits before the adoption that ends it, or waits and sees it ended.
 */
export async function readBootstrap(em: EntityManager, lock = false): Promise<BootstrapState> {
  const [row]: { account_id: string | null; ended_at: Date | null }[] = await em.query(
    `SELECT account_id, ended_at FROM instance_bootstrap${lock ? ' FOR SHARE' : ''}`,
  );
  return { accountId: row.account_id, endedAt: row.ended_at };
}

/** The first admin created on the instance becomes its bootstrap admin; later ones do not. */
export async function claimBootstrap(em: EntityManager, accountId: string, at: Date): Promise<void> {
  await em.query('UPDATE instance_bootstrap SET account_id = $1, began_at = $2 WHERE account_id IS NULL AND ended_at IS NULL', [accountId, at]);
}

/** Ends the bootstrap once; answers whether this call ended it. */
export async function endBootstrap(em: EntityManager, proposalId: string, at: Date): Promise<boolean> {
  const [, affected]: [unknown, number] = await em.query(
    'UPDATE instance_bootstrap SET ended_at = $2, ended_by_proposal = $1 WHERE ended_at IS NULL',
    [proposalId, at],
  );
  return affected === 1;
}

/** Locks the accounts against admin changes (so two admins cannot remove each other at once) and counts the other active admins. */
export async function lockAndCountOtherAdmins(em: EntityManager, leaving: string): Promise<number> {
  await em.query('LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE');
  const [{ n }]: { n: number }[] = await em.query(`SELECT count(*)::int AS n FROM accounts WHERE 'admin' = ANY (roles) AND revoked_at IS NULL AND id <> $1`, [leaving]);
  return n;
}
