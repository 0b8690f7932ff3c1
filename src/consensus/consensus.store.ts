/** The consensus context's SQL, as plain functions over the caller's EntityManager (and so its transaction). */
import type { EntityManager } from 'typeorm';
import type { Circle, PositionKind, Tally } from './consensus-rules';
import type { Binding } from './proposal-outcomes';
import type { CircleNoticeKind, NoticeParams } from './circle-notice-texts';

export interface MembershipRow {
  id: string;
  accountId: string;
  name: string;
  joinedAt: Date;
  accreditedOn: string | null;
  accreditationExpiresOn: string | null;
  accreditationAuthority: string | null;
}

const MEMBERSHIP_COLUMNS = `m.id, m.account_id AS "accountId", a.name, m.joined_at AS "joinedAt",
  to_char(m.accredited_on, 'YYYY-MM-DD') AS "accreditedOn", to_char(m.accreditation_expires_on, 'YYYY-MM-DD') AS "accreditationExpiresOn",
  m.accreditation_authority AS "accreditationAuthority"`;

export function currentMembers(em: EntityManager, circle: Circle): Promise<MembershipRow[]> {
  return em.query(
    `SELECT ${MEMBERSHIP_COLUMNS} FROM circle_memberships m JOIN accounts a ON a.id = m.account_id
      WHERE m.circle = $1 AND m.left_at IS NULL ORDER BY m.joined_at, m.id`,
    [circle],
  );
}

export async function currentMembership(em: EntityManager, circle: Circle, accountId: string, lock = false): Promise<MembershipRow | undefined> {
  const [row]: MembershipRow[] = await em.query(
    `SELECT ${MEMBERSHIP_COLUMNS} FROM circle_memberships m JOIN accounts a ON a.id = m.account_id
      WHERE m.circle = $1 AND m.account_id = $2 AND m.left_at IS NULL${lock ? ' FOR UPDATE OF m' : ''}`,
    [circle, accountId],
  );
  return row;
}

export async function insertMembership(
  em: EntityManager,
  row: { circle: Circle; accountId: string; joinedAt: Date; accreditation?: { grantedOn: string; expiresOn: string; authority: string } },
): Promise<string | undefined> {
  const [inserted]: { id: string }[] = await em.query(
    `INSERT INTO circle_memberships (circle, account_id, joined_at, accredited_on, accreditation_expires_on, accreditation_authority)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (circle, account_id) WHERE left_at IS NULL DO NOTHING RETURNING id`,
    [row.circle, row.accountId, row.joinedAt, row.accreditation?.grantedOn ?? null, row.accreditation?.expiresOn ?? null, row.accreditation?.authority ?? null],
  );
  return inserted?.id;
}

export async function endMembership(em: EntityManager, id: string, at: Date): Promise<void> {
  await em.query('UPDATE circle_memberships SET left_at = $2 WHERE id = $1', [id, at]);
}

export interface ProposalRow {
  id: string;
  title: string;
  body: string;
  circle: Circle;
  quorum: number;
  blind: boolean;
  closesAt: Date | null;
  binding: Binding | null;
  status: 'open' | 'adopted' | 'rejected';
  tally: Tally | null;
  openedAt: Date;
  closedAt: Date | null;
}

export async function insertProposal(
  em: EntityManager,
  row: Pick<ProposalRow, 'title' | 'body' | 'circle' | 'quorum' | 'blind' | 'closesAt' | 'binding' | 'openedAt'> & { openedBy: string | null },
): Promise<string | undefined> {
  const [inserted]: { id: string }[] = await em.query(
    `INSERT INTO proposals (title, body, circle, quorum, blind, closes_at, binding, status, opened_by, opened_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9) ON CONFLICT (binding) WHERE status = 'open' AND binding IS NOT NULL DO NOTHING RETURNING id`,
    [row.title, row.body, row.circle, row.quorum, row.blind, row.closesAt, row.binding ? JSON.stringify(row.binding) : null, row.openedBy, row.openedAt],
  );
  return inserted?.id;
}

/** With `lock`, the row is held until the transaction ends: two closes (or a close and a position) take turns. */
export async function findProposal(em: EntityManager, id: string, lock = false): Promise<ProposalRow | undefined> {
  const [row]: ProposalRow[] = await em.query(
    `SELECT id, title, body, circle, quorum, blind, closes_at AS "closesAt", binding, status, tally, opened_at AS "openedAt", closed_at AS "closedAt"
       FROM proposals WHERE id = $1${lock ? ' FOR UPDATE' : ''}`,
    [id],
  );
  return row;
}

export async function markClosed(em: EntityManager, id: string, status: 'adopted' | 'rejected', tally: Tally, at: Date): Promise<void> {
  await em.query('UPDATE proposals SET status = $2, tally = $3, closed_at = $4 WHERE id = $1', [id, status, JSON.stringify(tally), at]);
}

export interface PositionRow {
  accountId: string;
  name: string;
  position: PositionKind;
  reason: string | null;
  takenAt: Date;
  current: boolean;
}

/** Every position taken on the proposal, oldest first, current or superseded. */
export function positionsOf(em: EntityManager, proposalId: string): Promise<PositionRow[]> {
  return em.query(
    `SELECT p.account_id AS "accountId", a.name, p.position, p.reason, p.taken_at AS "takenAt", p.superseded_at IS NULL AS current
       FROM proposal_positions p JOIN accounts a ON a.id = p.account_id WHERE p.proposal_id = $1 ORDER BY p.taken_at, p.id`,
    [proposalId],
  );
}

/** Supersedes the person's current position, if any, and answers it. */
export async function supersedePosition(em: EntityManager, proposalId: string, accountId: string, at: Date): Promise<PositionKind | undefined> {
  const [previous]: { position: PositionKind }[] = await em.query(
    `UPDATE proposal_positions SET superseded_at = $3 WHERE proposal_id = $1 AND account_id = $2 AND superseded_at IS NULL RETURNING position`,
    [proposalId, accountId, at],
  );
  return previous?.position;
}

export async function insertPosition(em: EntityManager, row: { proposalId: string; accountId: string; position: PositionKind; reason: string | null; takenAt: Date }): Promise<void> {
  await em.query('INSERT INTO proposal_positions (proposal_id, account_id, position, reason, taken_at) VALUES ($1, $2, $3, $4, $5)', [
    row.proposalId,
    row.accountId,
    row.position,
    row.reason,
    row.takenAt,
  ]);
}

export function openWithDeadline(em: EntityManager): Promise<{ id: string; closesAt: Date }[]> {
  return em.query(`SELECT id, closes_at AS "closesAt" FROM proposals WHERE status = 'open' AND closes_at IS NOT NULL`);
}

/** The accounts of the circle's current members that can be told by e-mail. */
export async function membersWithEmail(em: EntityManager, circle: Circle): Promise<string[]> {
  const rows: { id: string }[] = await em.query(
    `SELECT a.id FROM circle_memberships m JOIN accounts a ON a.id = m.account_id
      WHERE m.circle = $1 AND m.left_at IS NULL AND a.revoked_at IS NULL AND a.email IS NOT NULL ORDER BY m.joined_at, m.id`,
    [circle],
  );
  return rows.map((row) => row.id);
}

export async function insertNotice(
  em: EntityManager,
  notice: { circle: Circle; accountId: string; kind: CircleNoticeKind; params: NoticeParams; createdAt: Date },
): Promise<string> {
  const [row]: { id: string }[] = await em.query(
    `INSERT INTO circle_notices (circle, account_id, kind, params, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [notice.circle, notice.accountId, notice.kind, JSON.stringify(notice.params), notice.createdAt],
  );
  return row.id;
}

export async function findNotice(em: EntityManager, id: string): Promise<{ accountId: string; kind: CircleNoticeKind; params: NoticeParams } | undefined> {
  const [row]: { accountId: string; kind: CircleNoticeKind; params: NoticeParams }[] = await em.query(
    `SELECT account_id AS "accountId", kind, params FROM circle_notices WHERE id = $1`,
    [id],
  );
  return row;
}
