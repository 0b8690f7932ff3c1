/**
 * The SQL of deadlines and their reminders, over the caller's EntityManager. The table and its
 * key are in migrations/1764300700000-LegalRequestDeadlines.ts.
 */
import type { EntityManager } from 'typeorm';
import { DUE_SOON_BEFORE_MS, ReminderKind } from './legal-request-deadlines';
import type { LegalRequestStatus } from './legal-request-status';

/**
 * The requests whose reminder due at `now` (reminderDue's rule, asked of every request still to
 * answer at once) has not been sent for their current deadline yet, nearest deadline first.
 */
export async function requestsToRemind(em: EntityManager, now: Date, limit: number): Promise<string[]> {
  const rows: { id: string }[] = await em.query(
    // The statuses written out (ANSWERED_STATUSES), so that the partial index legal_requests_open_due_at serves.
    `SELECT r.id FROM legal_requests r
      WHERE r.due_at IS NOT NULL AND r.status NOT IN ('answered', 'closed') AND r.due_at <= $2
        AND NOT EXISTS (SELECT 1 FROM legal_request_reminders s
                         WHERE s.request_id = r.id AND s.due_at = r.due_at
                           AND s.kind = CASE WHEN r.due_at <= $1 THEN 'overdue' ELSE 'due-soon' END)
      ORDER BY r.due_at, r.id LIMIT $3`,
    [now, new Date(now.getTime() + DUE_SOON_BEFORE_MS), limit],
  );
  return rows.map((row) => row.id);
}

/**
 * The request's deadline and status, the row locked until the transaction ends: `share` against a
 * change of status or deadline while a reminder is decided, `update` to change the deadline.
 */
export async function lockDeadline(em: EntityManager, requestId: string, mode: 'share' | 'update'): Promise<{ status: LegalRequestStatus; dueAt: Date | null } | null> {
  const [row]: { status: LegalRequestStatus; due_at: Date | null }[] = await em.query(
    `SELECT status, due_at FROM legal_requests WHERE id = $1 FOR ${mode === 'share' ? 'SHARE' : 'UPDATE'}`,
    [requestId],
  );
  return row ? { status: row.status, dueAt: row.due_at } : null;
}

/** Claims the reminder: true if this transaction is the one that sends it (a concurrent one waits, then finds it taken). */
export async function claimReminder(em: EntityManager, reminder: { requestId: string; kind: ReminderKind; dueAt: Date; sentAt: Date }): Promise<boolean> {
  const rows: unknown[] = await em.query(
    `INSERT INTO legal_request_reminders (request_id, kind, due_at, sent_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING request_id`,
    [reminder.requestId, reminder.kind, reminder.dueAt, reminder.sentAt],
  );
  return rows.length === 1;
}

export async function setDueAt(em: EntityManager, requestId: string, dueAt: Date): Promise<void> {
  await em.query(`UPDATE legal_requests SET due_at = $2 WHERE id = $1`, [requestId, dueAt]);
}
