/**
 * The outbox's SQL, as plain functions over the caller's EntityManager. A row says what was asked and
 * how sending went; the table (migrations/1764100100000-Outbox.ts) has no column for an address or a body.
 */
import type { EntityManager } from 'typeorm';
import { OutboxChannel, OutboxMessageKind } from './outbox-message';

export const OUTBOX_STATUSES = ['queued', 'sent', 'failed', 'dropped'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface OutboxMessageRow {
  id: string;
  kind: OutboxMessageKind;
  channel: OutboxChannel;
  ref: string;
  status: OutboxStatus;
  attempts: number;
  last_error: string | null;
  created_at: Date;
  sent_at: Date | null;
  failed_at: Date | null;
  dropped_at: Date | null;
}

const COLUMNS = 'id, kind, channel, ref, status, attempts, last_error, created_at, sent_at, failed_at, dropped_at';

export async function insertMessage(em: EntityManager, message: { id: string; kind: OutboxMessageKind; channel: OutboxChannel; ref: string; createdAt: Date }): Promise<void> {
  await em.query(`INSERT INTO outbox_messages (id, kind, channel, ref, created_at) VALUES ($1, $2, $3, $4, $5)`, [
    message.id,
    message.kind,
    message.channel,
    message.ref,
    message.createdAt,
  ]);
}

export async function findMessage(em: EntityManager, id: string): Promise<OutboxMessageRow | undefined> {
  const [row]: OutboxMessageRow[] = await em.query(`SELECT ${COLUMNS} FROM outbox_messages WHERE id = $1`, [id]);
  return row;
}

/** Records one try that went out. Only a queued message moves, so a late duplicate job changes nothing. */
export async function markSent(em: EntityManager, id: string, at: Date): Promise<void> {
  await em.query(`UPDATE outbox_messages SET status = 'sent', attempts = attempts + 1, last_error = NULL, sent_at = $2 WHERE id = $1 AND status = 'queued'`, [id, at]);
}

/** Nothing to send any more (the renderer answered null): not a failure, nothing to retry. */
export async function markDropped(em: EntityManager, id: string, at: Date): Promise<void> {
  await em.query(`UPDATE outbox_messages SET status = 'dropped', dropped_at = $2 WHERE id = $1 AND status = 'queued'`, [id, at]);
}

/** Records a failed try; `finalAt` set when it was the last one, and the message is then failed. */
export async function recordFailure(em: EntityManager, id: string, reason: string, finalAt: Date | null): Promise<void> {
  await em.query(
    `UPDATE outbox_messages SET attempts = attempts + 1, last_error = $2,
       status = CASE WHEN $3::timestamptz IS NULL THEN status ELSE 'failed' END, failed_at = $3
     WHERE id = $1 AND status = 'queued'`,
    [id, reason, finalAt],
  );
}

/** Queued messages created before `before`, oldest first: those whose job may never have been added. */
export async function queuedBefore(em: EntityManager, before: Date, limit: number): Promise<string[]> {
  const rows: { id: string }[] = await em.query(`SELECT id FROM outbox_messages WHERE status = 'queued' AND created_at < $1 ORDER BY created_at LIMIT $2`, [before, limit]);
  return rows.map((row) => row.id);
}

export interface MessageFilter {
  status?: OutboxStatus;
  kind?: OutboxMessageKind;
  ref?: string;
  limit: number;
  offset: number;
}

export async function listMessages(em: EntityManager, filter: MessageFilter): Promise<{ rows: OutboxMessageRow[]; total: number }> {
  const where = `($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR kind = $2) AND ($3::uuid IS NULL OR ref = $3)`;
  const params = [filter.status ?? null, filter.kind ?? null, filter.ref ?? null];
  const [rows, [{ total }]]: [OutboxMessageRow[], { total: number }[]] = await Promise.all([
    em.query(`SELECT ${COLUMNS} FROM outbox_messages WHERE ${where} ORDER BY created_at DESC, id LIMIT $4 OFFSET $5`, [...params, filter.limit, filter.offset]),
    em.query(`SELECT count(*)::int AS total FROM outbox_messages WHERE ${where}`, params),
  ]);
  return { rows, total };
}
