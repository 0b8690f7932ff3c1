/**
 * Whom a request concerns and when they were told, as plain functions over the caller's
 * EntityManager. The tables and their checks are in migrations/1764300900001-LegalRequestSubjects.ts.
 */
import type { EntityManager } from 'typeorm';
import type { DisclosedField } from './disclosed-fields';
import type { LegalRequestKind } from './legal-request-kinds';
import type { Decision, LegalRequestStatus } from './legal-request-status';

export async function insertSubject(
  em: EntityManager,
  subject: { requestId: string; subscriberId: string; position: number; disclosed: readonly DisclosedField[]; foundAt: Date },
): Promise<void> {
  await em.query(
    `INSERT INTO legal_request_subjects (request_id, subscriber_id, found_at) VALUES ($1, $2, $3) ON CONFLICT (request_id, subscriber_id) DO NOTHING`,
    [subject.requestId, subject.subscriberId, subject.foundAt],
  );
  await em.query(`INSERT INTO legal_request_subject_selectors (request_id, position, subscriber_id, disclosed) VALUES ($1, $2, $3, $4)`, [
    subject.requestId,
    subject.position,
    subject.subscriberId,
    subject.disclosed,
  ]);
}

export interface ConcerningRow {
  id: string;
  kind: LegalRequestKind;
  authority: string;
  legal_basis: string;
  status: LegalRequestStatus;
  decision: Decision | null;
  received_at: Date;
  selectors: { address: string; at: string; disclosed: DisclosedField[] }[];
}

/** The requests concerning a member whose gag is over at `now` (or that had none), latest received first. */
export function readRequestsConcerning(em: EntityManager, subscriberId: string, now: Date): Promise<ConcerningRow[]> {
  return em.query(
    `SELECT r.id, r.kind, r.authority, r.legal_basis, r.status, r.decision, r.received_at,
            (SELECT json_agg(json_build_object('address', host(sel.address), 'at', sel.at, 'disclosed', ss.disclosed) ORDER BY ss.position)
               FROM legal_request_subject_selectors ss
               JOIN legal_request_selectors sel USING (request_id, position)
              WHERE ss.request_id = r.id AND ss.subscriber_id = s.subscriber_id) AS selectors
       FROM legal_request_subjects s JOIN legal_requests r ON r.id = s.request_id
      WHERE s.subscriber_id = $1 AND (r.gag_until IS NULL OR r.gag_until <= $2)
      ORDER BY r.received_at DESC, r.id`,
    [subscriberId, now],
  );
}

/** The ids of the requests whose gag still runs at `now`. */
export async function gaggedRequests(em: EntityManager, now: Date): Promise<string[]> {
  const rows: { id: string }[] = await em.query(`SELECT id FROM legal_requests WHERE gag_until > $1`, [now]);
  return rows.map((row) => row.id);
}

export interface UntoldSubject {
  request_id: string;
  subscriber_id: string;
  gag_until: Date | null;
}

/** Members not yet told of a request whose gag is over at `now`, locked; rows another check holds are skipped. */
export function lockUntoldSubjects(em: EntityManager, now: Date, limit: number): Promise<UntoldSubject[]> {
  return em.query(
    `SELECT s.request_id, s.subscriber_id, r.gag_until
       FROM legal_request_subjects s JOIN legal_requests r ON r.id = s.request_id
      WHERE s.told_at IS NULL AND (r.gag_until IS NULL OR r.gag_until <= $1)
      ORDER BY r.received_at, s.request_id, s.subscriber_id
      LIMIT $2
      FOR UPDATE OF s SKIP LOCKED`,
    [now, limit],
  );
}

export async function markTold(em: EntityManager, told: { requestId: string; subscriberId: string; noticeId: string }[], at: Date): Promise<void> {
  await em.query(
    `UPDATE legal_request_subjects s SET told_at = $4, notice_id = t.notice_id
       FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS t (request_id, subscriber_id, notice_id)
      WHERE s.request_id = t.request_id AND s.subscriber_id = t.subscriber_id AND s.told_at IS NULL`,
    [told.map((t) => t.requestId), told.map((t) => t.subscriberId), told.map((t) => t.noticeId), at],
  );
}

/** What a gag-lifted notice says: the member it goes to and the request's date of receipt. */
export async function readNotice(em: EntityManager, noticeId: string): Promise<{ subscriber_id: string; received_at: Date } | null> {
  const [row]: { subscriber_id: string; received_at: Date }[] = await em.query(
    `SELECT s.subscriber_id, r.received_at FROM legal_request_subjects s JOIN legal_requests r ON r.id = s.request_id WHERE s.notice_id = $1`,
    [noticeId],
  );
  return row ?? null;
}

/**
 * Deletes the requests closed before `closedBefore` whose gag is over at `now` and whose members
 * concerned were all told; everything of theirs goes with them (ON DELETE CASCADE). Answers their ids.
 */
export async function deleteExpiredRequests(em: EntityManager, closedBefore: Date, now: Date): Promise<string[]> {
  const rows: { id: string }[] = await em.query(
    `WITH gone AS (
       DELETE FROM legal_requests r
        WHERE r.status = 'closed' AND r.closed_at < $1 AND (r.gag_until IS NULL OR r.gag_until <= $2)
          AND NOT EXISTS (SELECT 1 FROM legal_request_subjects s WHERE s.request_id = r.id AND s.told_at IS NULL)
        RETURNING r.id)
     SELECT id FROM gone`,
    [closedBefore, now],
  );
  return rows.map((row) => row.id);
}
