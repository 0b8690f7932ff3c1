/**
 * The transparency report's one query: an aggregate over legal_requests, grouped by the year of
 * receipt (UTC), the kind and the outcome; a request under a gag order at `now` is grouped with
 * neither its kind nor its outcome. It reads no reference, authority, selector nor date finer than
 * the year.
 */
import type { EntityManager } from 'typeorm';
import type { CountRow } from './transparency-report';

export function countRequestsByYear(em: EntityManager, now: Date): Promise<CountRow[]> {
  return em.query(
    `SELECT extract(year FROM received_at AT TIME ZONE 'UTC')::int AS year,
            CASE WHEN gag_until > $1 THEN NULL ELSE kind END AS kind,
            CASE WHEN gag_until > $1 THEN NULL
                 WHEN status IN ('received', 'under-review') THEN 'pending'
                 WHEN decision = 'comply' THEN 'complied'
                 WHEN decision = 'contest' THEN 'contested'
                 ELSE 'refused' END AS outcome,
            count(*)::int AS count
       FROM legal_requests
      GROUP BY 1, 2, 3`,
    [now],
  );
}
