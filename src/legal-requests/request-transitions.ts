import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/access';
import { LedgerService } from '../ledger/ledger.service';
import { lockLegalRequest, setStatus } from './legal-decisions.store';
import { cannotMove, Decision, LegalRequestStatus, mayMove } from './legal-request-status';
import { LegalRequestsError, LegalRequestsErrorCode } from './legal-requests.errors';
import { LegalRequestRow } from './legal-requests.store';

/**
 * The one way a request changes status: the row locked first (so of two concurrent moves one waits and
 * then sees the other's result), the move checked against the table in legal-request-status.ts, and
 * recorded in the ledger in the same transaction.
 */
@Injectable()
export class RequestTransitions {
  constructor(private readonly ledger: LedgerService) {}

  async lock(em: EntityManager, id: string): Promise<LegalRequestRow> {
    const row = await lockLegalRequest(em, id);
    if (!row) throw new LegalRequestsError(LegalRequestsErrorCode.RequestNotFound, 'No such legal request.');
    return row;
  }

  assertMay(request: LegalRequestRow, to: LegalRequestStatus): void {
    if (!mayMove(request.status, to)) {
      throw new LegalRequestsError(LegalRequestsErrorCode.StatusConflict, `${cannotMove(request.status, to)}.`, { status: request.status, to });
    }
  }

  /** Moves a locked request; answers the index of the ledger entry that records the move. */
  async move(
    em: EntityManager,
    request: LegalRequestRow,
    to: LegalRequestStatus,
    actor: Actor,
    at: Date,
    details: { decision?: Decision; proposalId?: string } = {},
  ): Promise<number> {
    this.assertMay(request, to);
    await setStatus(em, request.id, to, at, to === 'decided' ? details.decision : undefined);
    return this.ledger.record(em, {
      actor,
      action: 'legal-request.status-changed',
      refs: { requestId: request.id, from: request.status, to, ...(details.decision ? { decision: details.decision } : {}), ...(details.proposalId ? { proposalId: details.proposalId } : {}) },
    });
  }
}
