/**
 * The SQL of what the authority owes for a request, over the caller's EntityManager. The table and
 * its checks are in migrations/1764300700001-LegalRequestCompensation.ts.
 */
import type { EntityManager } from 'typeorm';
import type { CompensationStatus, CompensationView } from './compensation.schemas';

// Dates as text: node-postgres would turn a date into a local midnight.
const VIEW_COLUMNS = `amount::text AS amount, currency, status, claimed_on::text AS "claimedOn", paid_on::text AS "paidOn", note, updated_at AS "updatedAt"`;

export async function upsertCompensation(
  em: EntityManager,
  compensation: { requestId: string; amount: string; currency: string; status: CompensationStatus; claimedOn: string | null; paidOn: string | null; note: string | null; updatedBy: string | null; updatedAt: Date },
): Promise<void> {
  await em.query(
    `INSERT INTO legal_request_compensations (request_id, amount, currency, status, claimed_on, paid_on, note, updated_by, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (request_id) DO UPDATE SET amount = EXCLUDED.amount, currency = EXCLUDED.currency, status = EXCLUDED.status, claimed_on = EXCLUDED.claimed_on,
       paid_on = EXCLUDED.paid_on, note = EXCLUDED.note, updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at`,
    [compensation.requestId, compensation.amount, compensation.currency, compensation.status, compensation.claimedOn, compensation.paidOn, compensation.note, compensation.updatedBy, compensation.updatedAt],
  );
}

/** The request's compensation as shown, or null when none was recorded. */
export async function readCompensation(em: EntityManager, requestId: string): Promise<CompensationView | null> {
  const [row]: (Omit<CompensationView, 'updatedAt'> & { updatedAt: Date })[] = await em.query(`SELECT ${VIEW_COLUMNS} FROM legal_request_compensations WHERE request_id = $1`, [requestId]);
  return row ? { ...row, updatedAt: row.updatedAt.toISOString() } : null;
}
