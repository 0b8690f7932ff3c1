/**
 * The SQL of entries withheld from their subject (migrations/1764300900000-LedgerSubjectHolds.ts), as
 * plain functions over the caller's EntityManager.
 */
import type { EntityManager } from 'typeorm';
import type { SubjectHold } from './subject-hold';

export async function insertHolds(em: EntityManager, held: readonly (SubjectHold & { index: number })[]): Promise<void> {
  await em.query(
    `INSERT INTO ledger_subject_holds (leaf_index, hold_kind, hold_id) SELECT * FROM unnest($1::bigint[], $2::text[], $3::uuid[]) ON CONFLICT DO NOTHING`,
    [held.map((h) => h.index), held.map((h) => h.kind), held.map((h) => h.id)],
  );
}

/** Holds the entries about `subject` from index `from` on (what this transaction appended) under `hold`. */
export async function holdEntriesAbout(em: EntityManager, from: number, subject: string, hold: SubjectHold): Promise<void> {
  await em.query(
    `INSERT INTO ledger_subject_holds (leaf_index, hold_kind, hold_id)
     SELECT index, $3, $4 FROM ledger_leaves WHERE index >= $1 AND subject = $2 ON CONFLICT DO NOTHING`,
    [from, subject, hold.kind, hold.id],
  );
}

/** No entry under one of these holds: `$n` and `$n+1` are the holds' kinds and ids. */
const NOT_HELD = (n: number) => `NOT EXISTS (
  SELECT 1 FROM ledger_subject_holds h JOIN unnest($${n}::text[], $${n + 1}::uuid[]) AS f (kind, id) ON h.hold_kind = f.kind AND h.hold_id = f.id
   WHERE h.leaf_index = l.index)`;

const holdParams = (holds: readonly SubjectHold[]) => [holds.map((h) => h.kind), holds.map((h) => h.id)];

/** Entries about `subject` that no hold in `holds` withholds, newest first, with their total. */
export async function readEntriesAbout(
  em: EntityManager,
  subject: string,
  holds: readonly SubjectHold[],
  limit: number,
  offset: number,
): Promise<{ rows: { index: number; leaf: Buffer }[]; total: number }> {
  const rows: { index: string; leaf: Buffer }[] = await em.query(
    `SELECT index, leaf FROM ledger_leaves l WHERE l.subject = $1 AND ${NOT_HELD(2)} ORDER BY index DESC LIMIT $4 OFFSET $5`,
    [subject, ...holdParams(holds), limit, offset],
  );
  const [{ total }]: { total: number }[] = await em.query(`SELECT count(*)::int AS total FROM ledger_leaves l WHERE l.subject = $1 AND ${NOT_HELD(2)}`, [
    subject,
    ...holdParams(holds),
  ]);
  return { rows: rows.map((row) => ({ index: Number(row.index), leaf: row.leaf })), total };
}

/** Of these indexes, those no hold in `holds` withholds. */
export async function notHeld(em: EntityManager, indexes: readonly number[], holds: readonly SubjectHold[]): Promise<number[]> {
  const rows: { index: string }[] = await em.query(`SELECT l.index FROM unnest($1::bigint[]) AS l (index) WHERE ${NOT_HELD(2)}`, [indexes, ...holdParams(holds)]);
  return rows.map((row) => Number(row.index));
}

/** Erases the personal values held beside the entries under these holds; returns how many. */
export async function erasePersonalValuesUnder(em: EntityManager, holds: readonly SubjectHold[], at: Date): Promise<number> {
  if (holds.length === 0) return 0;
  const [{ count }]: { count: number }[] = await em.query(
    `WITH erased AS (
       UPDATE ledger_personal_values p SET sealed = NULL, erased_at = $3
         FROM ledger_subject_holds h JOIN unnest($1::text[], $2::uuid[]) AS f (kind, id) ON h.hold_kind = f.kind AND h.hold_id = f.id
        WHERE h.leaf_index = p.leaf_index AND p.sealed IS NOT NULL
       RETURNING 1)
     SELECT count(*)::int AS count FROM erased`,
    [...holdParams(holds), at],
  );
  return count;
}
