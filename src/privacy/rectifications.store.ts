/** The rectifications' SQL, as plain functions over the caller's EntityManager (and so its transaction). */
import type { EntityManager } from 'typeorm';
import type { RectifiableField, RectificationStatus } from './rectifications.schemas';

export interface RectificationRow {
  id: string;
  subscriberId: string;
  field: RectifiableField;
  status: RectificationStatus;
  proposedAt: Date;
  proposalEntry: number;
  resolvedAt: Date | null;
  resolutionEntry: number | null;
}

const COLUMNS = 'id, subscriber_id, field, status, proposed_at, proposal_entry, resolved_at, resolution_entry';

type Raw = { id: string; subscriber_id: string; field: RectifiableField; status: RectificationStatus; proposed_at: Date; proposal_entry: string; resolved_at: Date | null; resolution_entry: string | null };

const toRow = (raw: Raw): RectificationRow => ({
  id: raw.id,
  subscriberId: raw.subscriber_id,
  field: raw.field,
  status: raw.status,
  proposedAt: raw.proposed_at,
  proposalEntry: Number(raw.proposal_entry),
  resolvedAt: raw.resolved_at,
  resolutionEntry: raw.resolution_entry === null ? null : Number(raw.resolution_entry),
});

export async function insertRectification(
  em: EntityManager,
  row: { id: string; subscriberId: string; field: RectifiableField; proposedAt: Date; proposedBy: string | null; proposalEntry: number },
): Promise<void> {
  await em.query(
    `INSERT INTO rectifications (id, subscriber_id, field, status, proposed_at, proposed_by, proposal_entry) VALUES ($1, $2, $3, 'pending', $4, $5, $6)`,
    [row.id, row.subscriberId, row.field, row.proposedAt, row.proposedBy, row.proposalEntry],
  );
}

export async function lockRectification(em: EntityManager, id: string): Promise<RectificationRow | null> {
  const [raw]: Raw[] = await em.query(`SELECT ${COLUMNS} FROM rectifications WHERE id = $1 FOR UPDATE`, [id]);
  return raw ? toRow(raw) : null;
}

export async function resolveRectification(
  em: EntityManager,
  id: string,
  resolution: { status: Exclude<RectificationStatus, 'pending'>; at: Date; by: string | null; entry: number },
): Promise<void> {
  await em.query(`UPDATE rectifications SET status = $2, resolved_at = $3, resolved_by = $4, resolution_entry = $5 WHERE id = $1`, [
    id,
    resolution.status,
    resolution.at,
    resolution.by,
    resolution.entry,
  ]);
}

export async function rectificationsOf(em: EntityManager, subscriberId: string): Promise<RectificationRow[]> {
  const rows: Raw[] = await em.query(`SELECT ${COLUMNS} FROM rectifications WHERE subscriber_id = $1 ORDER BY proposed_at, proposal_entry`, [subscriberId]);
  return rows.map(toRow);
}

export async function listRectifications(em: EntityManager, status: RectificationStatus | undefined, limit: number, offset: number): Promise<{ rows: RectificationRow[]; total: number }> {
  const rows: (Raw & { total: string })[] = await em.query(
    `SELECT ${COLUMNS}, count(*) OVER () AS total FROM rectifications WHERE ($1::text IS NULL OR status = $1) ORDER BY proposed_at, proposal_entry LIMIT $2 OFFSET $3`,
    [status ?? null, limit, offset],
  );
  if (rows.length > 0 || offset === 0) return { rows: rows.map(toRow), total: rows.length > 0 ? Number(rows[0].total) : 0 };
  const [{ total }]: { total: number }[] = await em.query(`SELECT count(*)::int AS total FROM rectifications WHERE ($1::text IS NULL OR status = $1)`, [status ?? null]);
  return { rows: [], total };
}
