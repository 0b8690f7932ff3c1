/**
 * A request's status, its decision proposals and its disclosure, as plain functions over the caller's
 * EntityManager. The tables and their checks are in migrations/1764300000000-LegalRequestStatus.ts and
 * migrations/1764300100000-LegalRequestDecisions.ts.
 */
import type { EntityManager } from 'typeorm';
import type { Decision, LegalRequestStatus } from './legal-request-status';
import { LegalRequestRow, REQUEST_COLUMNS } from './legal-requests.store';

/** The request row, held until the transaction ends: every change of status takes it first, so concurrent ones take turns. */
export async function lockLegalRequest(em: EntityManager, id: string): Promise<LegalRequestRow | null> {
  const [row]: LegalRequestRow[] = await em.query(`SELECT ${REQUEST_COLUMNS} FROM legal_requests WHERE id = $1 FOR UPDATE`, [id]);
  return row ?? null;
}

/** Sets the status with the date the checks tie to it (and the decision, when it becomes decided). */
export async function setStatus(em: EntityManager, id: string, to: LegalRequestStatus, at: Date, decision?: Decision): Promise<void> {
  const column = { received: null, 'under-review': null, decided: 'decided_at', answered: 'answered_at', closed: 'closed_at' }[to];
  await em.query(
    `UPDATE legal_requests SET status = $2${column ? `, ${column} = $3` : ''}${decision ? ', decision = $4' : ''} WHERE id = $1`,
    [id, to, ...(column || decision ? [at] : []), ...(decision ? [decision] : [])],
  );
}

export interface DecisionRow {
  proposal_id: string;
  request_id: string;
  decision: Decision;
  rationale: string;
  opened_at: Date;
}

export async function insertDecision(em: EntityManager, row: { proposalId: string; requestId: string; decision: Decision; rationale: string; openedBy: string | null; openedAt: Date }): Promise<void> {
  await em.query(`INSERT INTO legal_request_decisions (proposal_id, request_id, decision, rationale, opened_by, opened_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
    row.proposalId,
    row.requestId,
    row.decision,
    row.rationale,
    row.openedBy,
    row.openedAt,
  ]);
}

export async function readDecision(em: EntityManager, proposalId: string): Promise<DecisionRow | null> {
  const [row]: DecisionRow[] = await em.query(`SELECT proposal_id, request_id, decision, rationale, opened_at FROM legal_request_decisions WHERE proposal_id = $1`, [proposalId]);
  return row ?? null;
}

/** The latest decision proposal opened on the request. */
export async function latestDecision(em: EntityManager, requestId: string): Promise<DecisionRow | null> {
  const [row]: DecisionRow[] = await em.query(
    `SELECT proposal_id, request_id, decision, rationale, opened_at FROM legal_request_decisions WHERE request_id = $1 ORDER BY seq DESC LIMIT 1`,
    [requestId],
  );
  return row ?? null;
}

export interface DisclosureRow {
  request_id: string;
  sealed_entries: Buffer;
  matches: number;
  no_matches: number;
  ledger_index: number;
  disclosed_at: Date;
}

export async function insertDisclosure(
  em: EntityManager,
  row: { requestId: string; sealedEntries: Buffer; matches: number; noMatches: number; ledgerIndex: number; disclosedBy: string | null; disclosedAt: Date },
): Promise<void> {
  await em.query(
    `INSERT INTO legal_request_disclosures (request_id, sealed_entries, matches, no_matches, ledger_index, disclosed_by, disclosed_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [row.requestId, row.sealedEntries, row.matches, row.noMatches, row.ledgerIndex, row.disclosedBy, row.disclosedAt],
  );
}

export async function readDisclosure(em: EntityManager, requestId: string): Promise<DisclosureRow | null> {
  const [row]: DisclosureRow[] = await em.query(
    `SELECT request_id, sealed_entries, matches, no_matches, ledger_index::int AS ledger_index, disclosed_at FROM legal_request_disclosures WHERE request_id = $1`,
    [requestId],
  );
  return row ?? null;
}
