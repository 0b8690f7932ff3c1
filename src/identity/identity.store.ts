/**
 * The vault's SQL, as plain functions over the caller's EntityManager (and so its transaction). The
 * tables and the invariants they keep are in migrations/1764100000000-IdentityVault.ts.
 */
import type { EntityManager } from 'typeorm';
import type { VerificationMethod, VerificationStatus } from './verification-rules';

// ---- master keys

export interface MasterKeyRow {
  fingerprint: string;
  status: 'current' | 'next';
}

export function readMasterKeys(em: EntityManager): Promise<MasterKeyRow[]> {
  return em.query(`SELECT fingerprint, status FROM master_keys ORDER BY status`);
}

/** Registers a key under a status unless one already holds it (two processes starting together). */
export async function insertMasterKey(em: EntityManager, fingerprint: string, status: MasterKeyRow['status']): Promise<void> {
  await em.query(`INSERT INTO master_keys (fingerprint, status) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [fingerprint, status]);
}

/** The end of a rotation: the foreign key refuses to drop the old key while a data key still uses it. */
export async function promoteNextMasterKey(em: EntityManager, oldFingerprint: string): Promise<void> {
  await em.query(`DELETE FROM master_keys WHERE fingerprint = $1 AND status = 'current'`, [oldFingerprint]);
  await em.query(`UPDATE master_keys SET status = 'current' WHERE status = 'next'`);
}

// ---- data keys

export async function readWrappedDataKey(em: EntityManager, subscriberId: string): Promise<{ wrapped: Buffer; masterKey: string } | null> {
  const [row]: { wrapped: Buffer; master_key: string }[] = await em.query(`SELECT wrapped, master_key FROM subscriber_data_keys WHERE subscriber_id = $1`, [subscriberId]);
  return row ? { wrapped: row.wrapped, masterKey: row.master_key } : null;
}

/** Inserts a data key unless the subscriber already has one; answers whether this one was kept. */
export async function insertDataKey(em: EntityManager, subscriberId: string, wrapped: Buffer, masterKey: string): Promise<boolean> {
  const rows: unknown[] = await em.query(
    `INSERT INTO subscriber_data_keys (subscriber_id, wrapped, master_key) VALUES ($1, $2, $3) ON CONFLICT (subscriber_id) DO NOTHING RETURNING 1`,
    [subscriberId, wrapped, masterKey],
  );
  return rows.length === 1;
}

/** A batch of data keys still wrapped by `masterKey`, locked; rows another rotation holds are skipped. */
export function dataKeysWrappedBy(em: EntityManager, masterKey: string, limit: number): Promise<{ subscriber_id: string; wrapped: Buffer }[]> {
  return em.query(`SELECT subscriber_id, wrapped FROM subscriber_data_keys WHERE master_key = $1 LIMIT $2 FOR UPDATE SKIP LOCKED`, [masterKey, limit]);
}

export async function countDataKeysWrappedBy(em: EntityManager, masterKey: string): Promise<number> {
  const [{ n }]: { n: number }[] = await em.query(`SELECT count(*)::int AS n FROM subscriber_data_keys WHERE master_key = $1`, [masterKey]);
  return n;
}

export async function rewrapDataKeys(em: EntityManager, rows: { subscriberId: string; wrapped: Buffer }[], masterKey: string): Promise<void> {
  await em.query(
    `UPDATE subscriber_data_keys k SET wrapped = r.wrapped, master_key = $3
       FROM unnest($1::uuid[], $2::bytea[]) AS r (subscriber_id, wrapped) WHERE k.subscriber_id = r.subscriber_id`,
    [rows.map((r) => r.subscriberId), rows.map((r) => r.wrapped), masterKey],
  );
}

/**
 * Crypto-shredding: the data keys go, and with them everything they sealed. The foreign keys would
 * cascade row by row; deleting the sealed rows as sets first is several times faster.
 */
export async function deleteDataKeys(em: EntityManager, subscriberIds: readonly string[]): Promise<string[]> {
  await em.query(`DELETE FROM identities WHERE subscriber_id = ANY($1::uuid[])`, [subscriberIds]);
  await em.query(`DELETE FROM verifications WHERE subscriber_id = ANY($1::uuid[])`, [subscriberIds]);
  // TypeORM answers a DELETE with [rows, affected].
  const [rows]: [{ subscriber_id: string }[], number] = await em.query(`DELETE FROM subscriber_data_keys WHERE subscriber_id = ANY($1::uuid[]) RETURNING subscriber_id`, [
    subscriberIds,
  ]);
  return rows.map((row) => row.subscriber_id);
}

// ---- verified identities

export interface IdentityRow {
  subscriber_id: string;
  legal_name: Buffer | null;
  contact_method: VerificationMethod;
  contact: Buffer;
  verified_at: Date;
  verification_id: string;
}

export async function readIdentity(em: EntityManager, subscriberId: string): Promise<IdentityRow | null> {
  const [row]: IdentityRow[] = await em.query(`SELECT * FROM identities WHERE subscriber_id = $1`, [subscriberId]);
  return row ?? null;
}

/** The new verified contact replaces the earlier one; a verification without a legal name keeps the earlier name. */
export async function upsertIdentity(em: EntityManager, row: IdentityRow): Promise<void> {
  await em.query(
    `INSERT INTO identities (subscriber_id, legal_name, contact_method, contact, verified_at, verification_id) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (subscriber_id) DO UPDATE SET legal_name = COALESCE(EXCLUDED.legal_name, identities.legal_name),
       contact_method = EXCLUDED.contact_method, contact = EXCLUDED.contact, verified_at = EXCLUDED.verified_at, verification_id = EXCLUDED.verification_id`,
    [row.subscriber_id, row.legal_name, row.contact_method, row.contact, row.verified_at, row.verification_id],
  );
}

// ---- verifications

export interface VerificationRow {
  id: string;
  subscriber_id: string;
  method: VerificationMethod;
  status: VerificationStatus;
  code_hash: Buffer | null;
  sealed_code: Buffer | null;
  pending_legal_name: Buffer | null;
  pending_contact: Buffer | null;
  attempts: number;
  sends: number;
  last_sent_at: Date;
  last_message_id: string | null;
  expires_at: Date;
  created_at: Date;
  ended_at: Date | null;
}

export type NewVerification = Pick<
  VerificationRow,
  'id' | 'subscriber_id' | 'method' | 'code_hash' | 'sealed_code' | 'pending_legal_name' | 'pending_contact' | 'expires_at' | 'created_at'
>;

export async function insertVerification(em: EntityManager, v: NewVerification): Promise<void> {
  await em.query(
    `INSERT INTO verifications (id, subscriber_id, method, status, code_hash, sealed_code, pending_legal_name, pending_contact, last_sent_at, expires_at, created_at)
     VALUES ($1, $2, $3, 'sent', $4, $5, $6, $7, $8, $9, $8)`,
    [v.id, v.subscriber_id, v.method, v.code_hash, v.sealed_code, v.pending_legal_name, v.pending_contact, v.created_at, v.expires_at],
  );
}

export async function readVerification(em: EntityManager, id: string, forUpdate = false): Promise<VerificationRow | null> {
  const [row]: VerificationRow[] = await em.query(`SELECT * FROM verifications WHERE id = $1 ${forUpdate ? 'FOR UPDATE' : ''}`, [id]);
  return row ?? null;
}

export async function listVerifications(em: EntityManager, subscriberId: string, limit: number, offset: number): Promise<{ rows: VerificationRow[]; total: number }> {
  const rows: VerificationRow[] = await em.query(`SELECT * FROM verifications WHERE subscriber_id = $1 ORDER BY created_at DESC, id LIMIT $2 OFFSET $3`, [subscriberId, limit, offset]);
  const [{ n }]: { n: number }[] = await em.query(`SELECT count(*)::int AS n FROM verifications WHERE subscriber_id = $1`, [subscriberId]);
  return { rows, total: n };
}

/** Every verification of a subscriber, oldest first: their export lists them all. */
export function verificationsOf(em: EntityManager, subscriberId: string): Promise<VerificationRow[]> {
  return em.query(`SELECT * FROM verifications WHERE subscriber_id = $1 ORDER BY created_at, id`, [subscriberId]);
}

/** Pending letters started at or after `since`, oldest first: what a volunteer prints. */
export function pendingLetters(em: EntityManager, now: Date, since: Date | null): Promise<VerificationRow[]> {
  return em.query(
    `SELECT * FROM verifications WHERE status = 'sent' AND method = 'postal' AND expires_at > $1 AND ($2::timestamptz IS NULL OR created_at >= $2)
     ORDER BY created_at, id`,
    [now, since],
  );
}

export async function recordWrongCode(em: EntityManager, id: string, attempts: number): Promise<void> {
  await em.query(`UPDATE verifications SET attempts = $2 WHERE id = $1`, [id, attempts]);
}

/** Ends a verification: its code and the contact it was verifying are erased, whatever the outcome. */
export async function endVerification(em: EntityManager, id: string, status: Exclude<VerificationStatus, 'sent'>, at: Date, attempts?: number): Promise<void> {
  await em.query(
    `UPDATE verifications SET status = $2, ended_at = $3, attempts = COALESCE($4, attempts),
       code_hash = NULL, sealed_code = NULL, pending_legal_name = NULL, pending_contact = NULL
     WHERE id = $1`,
    [id, status, at, attempts ?? null],
  );
}

export async function recordSend(em: EntityManager, id: string, at: Date, messageId: string, first: boolean): Promise<void> {
  await em.query(`UPDATE verifications SET last_sent_at = $2, last_message_id = $3, sends = sends + $4 WHERE id = $1`, [id, at, messageId, first ? 0 : 1]);
}

/** Unconfirmed verifications that expired before the cutoff, deleted; answers whose they were. */
export async function deleteUnconfirmedVerifications(em: EntityManager, expiredBefore: Date): Promise<string[]> {
  const [rows]: [{ subscriber_id: string }[], number] = await em.query(
    `DELETE FROM verifications WHERE status <> 'verified' AND expires_at < $1 RETURNING subscriber_id`,
    [expiredBefore],
  );
  return rows.map((row) => row.subscriber_id);
}
