/** The subscribers context's raw SQL, as plain functions over the caller's EntityManager (and so its transaction). */
import type { EntityManager } from 'typeorm';

/**
 * Erases the operational personal fields (display name, e-mail) of every member terminated before
 * `terminatedBefore` and not erased yet; the row, its member number, status, language and dates stay,
 * so subscriptions, assignments and loans keep their references. Answers the members erased.
 */
export async function eraseTerminatedBefore(em: EntityManager, terminatedBefore: Date, now: Date): Promise<string[]> {
  // TypeORM answers an UPDATE with [rows, affected].
  const [rows]: [{ id: string }[], number] = await em.query(
    `UPDATE subscribers SET display_name = NULL, email = NULL, erased_at = $2, updated_at = $2
      WHERE terminated_at < $1 AND erased_at IS NULL
      RETURNING id`,
    [terminatedBefore, now],
  );
  return rows.map((row) => row.id);
}
