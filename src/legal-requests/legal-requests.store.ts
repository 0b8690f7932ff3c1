/**
 * The legal requests' SQL, as plain functions over the caller's EntityManager (and so its
 * transaction). The tables and their invariants are in migrations/1764200100000-LegalRequests.ts.
 */
import type { EntityManager } from 'typeorm';
import type { DocumentType } from './document-type';
import type { LegalRequestKind } from './legal-request-kinds';
import type { Decision, LegalRequestStatus } from './legal-request-status';

export interface LegalRequestRow {
  id: string;
  authority: string;
  reference: string;
  legal_basis: string;
  kind: LegalRequestKind;
  status: LegalRequestStatus;
  decision: Decision | null;
  received_at: Date;
  due_at: Date | null;
  gag_until: Date | null;
  created_at: Date;
  decided_at: Date | null;
  answered_at: Date | null;
  closed_at: Date | null;
}

export interface NewLegalRequest {
  id: string;
  authority: string;
  reference: string;
  legalBasis: string;
  kind: LegalRequestKind;
  receivedAt: Date;
  dueAt: Date | null;
  gagUntil: Date | null;
  wrappedKey: Buffer;
  masterKey: string;
  createdBy: string | null;
  createdAt: Date;
  selectors: { address: string; at: Date }[];
}

export const REQUEST_COLUMNS = 'id, authority, reference, legal_basis, kind, status, decision, received_at, due_at, gag_until, created_at, decided_at, answered_at, closed_at';

export async function insertLegalRequest(em: EntityManager, request: NewLegalRequest): Promise<void> {
  await em.query(
    `INSERT INTO legal_requests (id, authority, reference, legal_basis, kind, status, received_at, due_at, gag_until, wrapped_key, master_key, created_by, created_at)
     VALUES ($1, $2, $3, $4, $5, 'received', $6, $7, $8, $9, $10, $11, $12)`,
    [request.id, request.authority, request.reference, request.legalBasis, request.kind, request.receivedAt, request.dueAt, request.gagUntil, request.wrappedKey, request.masterKey, request.createdBy, request.createdAt],
  );
  await em.query(
    `INSERT INTO legal_request_selectors (request_id, position, address, at)
     SELECT $1, position - 1, address, at FROM unnest($2::inet[], $3::timestamptz[]) WITH ORDINALITY AS s (address, at, position)`,
    [request.id, request.selectors.map((s) => s.address), request.selectors.map((s) => s.at)],
  );
}

export async function readLegalRequest(em: EntityManager, id: string): Promise<LegalRequestRow | null> {
  const [row]: LegalRequestRow[] = await em.query(`SELECT ${REQUEST_COLUMNS} FROM legal_requests WHERE id = $1`, [id]);
  return row ?? null;
}

/** Latest received first; with `dueBefore`, only the requests due before it, nearest deadline first. */
export async function listLegalRequests(
  em: EntityManager,
  filter: { status?: LegalRequestStatus; dueBefore?: Date },
  limit: number,
  offset: number,
): Promise<{ rows: LegalRequestRow[]; total: number }> {
  const where = `WHERE ($1::text IS NULL OR status = $1) AND ($2::timestamptz IS NULL OR due_at < $2)`;
  const params = [filter.status ?? null, filter.dueBefore ?? null];
  const order = filter.dueBefore ? 'due_at, id' : 'received_at DESC, id';
  const rows: LegalRequestRow[] = await em.query(`SELECT ${REQUEST_COLUMNS} FROM legal_requests ${where} ORDER BY ${order} LIMIT $3 OFFSET $4`, [...params, limit, offset]);
  const [{ total }]: { total: number }[] = await em.query(`SELECT count(*)::int AS total FROM legal_requests ${where}`, params);
  return { rows, total };
}

/** The requests in `statuses`, nearest deadline first, those without one last (oldest received first among equals). */
export async function listByDeadline(em: EntityManager, statuses: readonly LegalRequestStatus[], limit: number): Promise<{ rows: LegalRequestRow[]; total: number }> {
  const rows: LegalRequestRow[] = await em.query(
    `SELECT ${REQUEST_COLUMNS} FROM legal_requests WHERE status = ANY($1::text[]) ORDER BY due_at NULLS LAST, received_at, id LIMIT $2`,
    [statuses, limit],
  );
  const [{ total }]: { total: number }[] = await em.query(`SELECT count(*)::int AS total FROM legal_requests WHERE status = ANY($1::text[])`, [statuses]);
  return { rows, total };
}

export function readSelectors(em: EntityManager, requestId: string): Promise<{ address: string; at: Date }[]> {
  return em.query(`SELECT host(address) AS address, at FROM legal_request_selectors WHERE request_id = $1 ORDER BY position`, [requestId]);
}

/** The request's key, wrapped, with the fingerprint of the master key wrapping it; locked with the request row when `lock`. */
export async function readWrappedRequestKey(em: EntityManager, requestId: string, lock = false): Promise<{ wrapped: Buffer; masterKey: string } | null> {
  const [row]: { wrapped_key: Buffer; master_key: string }[] = await em.query(
    `SELECT wrapped_key, master_key FROM legal_requests WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [requestId],
  );
  return row ? { wrapped: row.wrapped_key, masterKey: row.master_key } : null;
}

export interface DocumentRow {
  id: string;
  request_id: string;
  content_type: DocumentType;
  size: number;
  sealed_filename: Buffer;
  sealed_content: Buffer;
  attached_at: Date;
}

export async function insertDocument(
  em: EntityManager,
  document: { id: string; requestId: string; contentType: DocumentType; size: number; sealedFilename: Buffer; sealedContent: Buffer; attachedBy: string | null; attachedAt: Date },
): Promise<void> {
  await em.query(
    `INSERT INTO legal_request_documents (id, request_id, content_type, size, sealed_filename, sealed_content, attached_by, attached_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [document.id, document.requestId, document.contentType, document.size, document.sealedFilename, document.sealedContent, document.attachedBy, document.attachedAt],
  );
}

/** The documents of a request, without their contents. */
export function readDocumentList(em: EntityManager, requestId: string): Promise<Omit<DocumentRow, 'sealed_content'>[]> {
  return em.query(
    `SELECT id, request_id, content_type, size, sealed_filename, attached_at FROM legal_request_documents WHERE request_id = $1 ORDER BY attached_at, id`,
    [requestId],
  );
}

export async function readDocument(em: EntityManager, requestId: string, documentId: string): Promise<DocumentRow | null> {
  const [row]: DocumentRow[] = await em.query(
    `SELECT id, request_id, content_type, size, sealed_filename, sealed_content, attached_at FROM legal_request_documents WHERE request_id = $1 AND id = $2`,
    [requestId, documentId],
  );
  return row ?? null;
}

// ---- request keys, for a master key rotation

export async function countRequestKeysWrappedBy(em: EntityManager, masterKey: string): Promise<number> {
  const [{ n }]: { n: number }[] = await em.query(`SELECT count(*)::int AS n FROM legal_requests WHERE master_key = $1`, [masterKey]);
  return n;
}

/** A batch of request keys still wrapped by `masterKey`, locked; rows another rotation holds are skipped. */
export function requestKeysWrappedBy(em: EntityManager, masterKey: string, limit: number): Promise<{ id: string; wrapped_key: Buffer }[]> {
  return em.query(`SELECT id, wrapped_key FROM legal_requests WHERE master_key = $1 LIMIT $2 FOR UPDATE SKIP LOCKED`, [masterKey, limit]);
}

export async function rewrapRequestKeys(em: EntityManager, keys: { id: string; wrapped: Buffer }[], masterKey: string): Promise<void> {
  await em.query(
    `UPDATE legal_requests r SET wrapped_key = k.wrapped, master_key = $3
       FROM unnest($1::uuid[], $2::bytea[]) AS k (id, wrapped) WHERE r.id = k.id`,
    [keys.map((k) => k.id), keys.map((k) => k.wrapped), masterKey],
  );
}
