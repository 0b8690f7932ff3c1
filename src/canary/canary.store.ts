/**
 * The canaries' SQL over the caller's EntityManager. Tables and their invariants:
 * migrations/1764300800000-Canary.ts.
 */
import type { EntityManager } from 'typeorm';

export interface CanaryRow {
  id: string;
  proposal_id: string;
  statement: string;
  renew_by: Date;
  outcome: 'open' | 'issued' | 'rejected' | 'not-issued';
  issued_at: Date | null;
  signature: string | null;
  public_key: string | null;
}

export type IssuedCanaryRow = CanaryRow & { outcome: 'issued'; issued_at: Date; signature: string; public_key: string };

const COLUMNS = 'id, proposal_id, statement, renew_by, outcome, issued_at, signature, public_key';

export async function insertCanary(em: EntityManager, canary: { id: string; proposalId: string; statement: string; renewBy: Date; proposedBy: string | null; proposedAt: Date }): Promise<void> {
  await em.query(
    `INSERT INTO canaries (id, proposal_id, statement, renew_by, proposed_by, proposed_at, outcome) VALUES ($1, $2, $3, $4, $5, $6, 'open')`,
    [canary.id, canary.proposalId, canary.statement, canary.renewBy, canary.proposedBy, canary.proposedAt],
  );
}

export async function lockCanary(em: EntityManager, id: string): Promise<CanaryRow | null> {
  const [row]: CanaryRow[] = await em.query(`SELECT ${COLUMNS} FROM canaries WHERE id = $1 FOR UPDATE`, [id]);
  return row ?? null;
}

export async function decideCanary(em: EntityManager, id: string, outcome: 'rejected' | 'not-issued'): Promise<void> {
  await em.query(`UPDATE canaries SET outcome = $2 WHERE id = $1`, [id, outcome]);
}

export async function issueCanary(em: EntityManager, id: string, issued: { issuedAt: Date; signature: string; publicKey: string }): Promise<void> {
  await em.query(`UPDATE canaries SET outcome = 'issued', issued_at = $2, signature = $3, public_key = $4 WHERE id = $1`, [id, issued.issuedAt, issued.signature, issued.publicKey]);
}

/** Issued canaries, latest first, from `offset`; the total counts them all. */
export async function issuedCanaries(em: EntityManager, limit: number, offset: number): Promise<{ rows: IssuedCanaryRow[]; total: number }> {
  const rows: IssuedCanaryRow[] = await em.query(`SELECT ${COLUMNS} FROM canaries WHERE outcome = 'issued' ORDER BY issued_at DESC, id LIMIT $1 OFFSET $2`, [limit, offset]);
  const [{ total }]: { total: number }[] = await em.query(`SELECT count(*)::int AS total FROM canaries WHERE outcome = 'issued'`);
  return { rows, total };
}

/** Records the warnings not yet sent for this canary; answers those this call recorded. */
export async function recordWarnings(em: EntityManager, canaryId: string, daysBefore: number[], at: Date): Promise<number[]> {
  const rows: { days_before: number }[] = await em.query(
    `INSERT INTO canary_warnings (canary_id, days_before, warned_at) SELECT $1, d, $3 FROM unnest($2::int[]) AS d
     ON CONFLICT DO NOTHING RETURNING days_before`,
    [canaryId, daysBefore, at],
  );
  return rows.map((row) => row.days_before);
}
