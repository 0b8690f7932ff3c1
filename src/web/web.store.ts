/** The web context's SQL, over the caller's EntityManager. Tables: migrations/1764301100000-WebSessions.ts. */
import type { EntityManager } from 'typeorm';
import type { Role } from '../common/access';

export interface SessionAccount {
  sessionId: string;
  accountId: string;
  name: string;
  roles: Role[];
  subscriberId: string | null;
  language: 'fr' | 'en' | null;
  lastSeenAt: Date;
}

export async function insertSession(em: EntityManager, session: { cookieHash: Buffer; accountId: string; at: Date; expiresAt: Date }): Promise<void> {
  await em.query(`INSERT INTO web_sessions (cookie_hash, account_id, created_at, last_seen_at, expires_at) VALUES ($1, $2, $3, $3, $4)`, [
    session.cookieHash,
    session.accountId,
    session.at,
    session.expiresAt,
  ]);
}

/** The session's account while the session lives: not ended, not expired, not idle past `idleSince`, the account not revoked. */
export async function liveSession(em: EntityManager, cookieHash: Buffer, now: Date, idleSince: Date): Promise<SessionAccount | undefined> {
  const [row]: SessionAccount[] = await em.query(
    `SELECT s.id AS "sessionId", a.id AS "accountId", a.name, a.roles, a.subscriber_id AS "subscriberId", a.language, s.last_seen_at AS "lastSeenAt"
       FROM web_sessions s JOIN accounts a ON a.id = s.account_id
      WHERE s.cookie_hash = $1 AND s.ended_at IS NULL AND s.expires_at > $2 AND s.last_seen_at > $3 AND a.revoked_at IS NULL`,
    [cookieHash, now, idleSince],
  );
  return row;
}

export async function touchSession(em: EntityManager, sessionId: string, at: Date): Promise<void> {
  await em.query(`UPDATE web_sessions SET last_seen_at = $2 WHERE id = $1 AND last_seen_at < $2`, [sessionId, at]);
}

export async function endSession(em: EntityManager, cookieHash: Buffer, at: Date): Promise<string | undefined> {
  const [row]: { account_id: string }[] = await em.query(`UPDATE web_sessions SET ended_at = $2 WHERE cookie_hash = $1 AND ended_at IS NULL RETURNING account_id`, [cookieHash, at]);
  return row?.account_id;
}

export async function endSessionsOf(em: EntityManager, accountId: string, at: Date): Promise<number> {
  const rows: unknown[] = await em.query(`UPDATE web_sessions SET ended_at = $2 WHERE account_id = $1 AND ended_at IS NULL RETURNING id`, [accountId, at]);
  return rows.length;
}

export async function insertSignInLink(em: EntityManager, link: { accountId: string; at: Date; expiresAt: Date }): Promise<string> {
  const [row]: { id: string }[] = await em.query(`INSERT INTO web_sign_in_links (account_id, created_at, expires_at) VALUES ($1, $2, $3) RETURNING id`, [
    link.accountId,
    link.at,
    link.expiresAt,
  ]);
  return row.id;
}

export async function findSignInLink(em: EntityManager, id: string, lock = false): Promise<{ accountId: string; expiresAt: Date; usedAt: Date | null } | undefined> {
  const [row]: { accountId: string; expiresAt: Date; usedAt: Date | null }[] = await em.query(
    `SELECT account_id AS "accountId", expires_at AS "expiresAt", used_at AS "usedAt" FROM web_sign_in_links WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return row;
}

export async function markSignInLinkUsed(em: EntityManager, id: string, at: Date): Promise<void> {
  await em.query(`UPDATE web_sign_in_links SET used_at = $2 WHERE id = $1`, [id, at]);
}
