/** The governance context's SQL, over the caller's EntityManager (and so its transaction). */
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { Privilege } from './governance.schemas';

export interface PrivilegeProposalRow {
  id: string;
  proposalId: string;
  accountId: string;
  privilege: Privilege;
  change: 'grant' | 'revoke';
}

/** Nothing when one is already open for this account and privilege (the partial unique index). */
export async function insertPrivilegeProposal(em: EntityManager, row: PrivilegeProposalRow & { openedAt: Date }): Promise<boolean> {
  const inserted: unknown[] = await em.query(
    `INSERT INTO privilege_proposals (id, proposal_id, account_id, privilege, change, opened_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (account_id, privilege) WHERE status = 'open' DO NOTHING RETURNING id`,
    [row.id, row.proposalId, row.accountId, row.privilege, row.change, row.openedAt],
  );
  return inserted.length === 1;
}

export async function lockPrivilegeProposal(em: EntityManager, id: string): Promise<PrivilegeProposalRow | undefined> {
  const [row]: PrivilegeProposalRow[] = await em.query(
    `SELECT id, proposal_id AS "proposalId", account_id AS "accountId", privilege, change FROM privilege_proposals WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return row;
}

export async function closePrivilegeProposal(em: EntityManager, id: string, status: 'adopted' | 'rejected', at: Date, notApplied: string | null): Promise<void> {
  await em.query('UPDATE privilege_proposals SET status = $2, closed_at = $3, not_applied = $4 WHERE id = $1', [id, status, at, notApplied]);
}

/**
 * The key of each subject, made on first need (32 random bytes); null for a subject whose key
 * retention forgot, which is never made again.
 */
export async function pseudonymKeys(em: EntityManager, subjects: readonly string[], at: Date): Promise<Map<string, Buffer | null>> {
  if (subjects.length === 0) return new Map();
  await em.query(
    `INSERT INTO subject_pseudonym_keys (subject, key, created_at) SELECT * FROM unnest($1::uuid[], $2::bytea[]) AS k, (SELECT $3::timestamptz) AS t
     ON CONFLICT (subject) DO NOTHING`,
    [subjects, subjects.map(() => randomBytes(32)), at],
  );
  const rows: { subject: string; key: Buffer | null }[] = await em.query('SELECT subject, key FROM subject_pseudonym_keys WHERE subject = ANY ($1::uuid[])', [subjects]);
  return new Map(rows.map((row) => [row.subject, row.key]));
}

/** Forgets the keys of these subjects (a row without key stays, so none is made again); answers how many went. */
export async function forgetPseudonymKeys(em: EntityManager, subjects: readonly string[], at: Date): Promise<number> {
  if (subjects.length === 0) return 0;
  const [{ count }]: { count: number }[] = await em.query(
    `WITH forgotten AS (
       INSERT INTO subject_pseudonym_keys (subject, key, created_at, forgotten_at) SELECT s, NULL, $2, $2 FROM unnest($1::uuid[]) AS s
       ON CONFLICT (subject) DO UPDATE SET key = NULL, forgotten_at = $2 WHERE subject_pseudonym_keys.key IS NOT NULL
       RETURNING 1)
     SELECT count(*)::int AS count FROM forgotten`,
    [subjects, at],
  );
  return count;
}
