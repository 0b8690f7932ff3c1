import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { LedgerService } from '../ledger/ledger.service';
import { CompensationView, SetCompensationInput } from './compensation.schemas';
import { readCompensation, upsertCompensation } from './compensation.store';
import { LegalRequestsError, LegalRequestsErrorCode } from './legal-requests.errors';
import { readLegalRequest } from './legal-requests.store';

/**
 * What the authority owes the association for answering a request, and where the claim stands. In
 * Belgium, operators' cooperation under art. 46bis of the Code d'instruction criminelle is paid at
 * the tariff of the royal decree of 9 January 2003; in France, at the tariff of requisitions of
 * electronic communications operators set by arrêté under art. R213-1 and R213-2 of the Code de
 * procédure pénale. Lanterne records the claim; it does not compute the fee. Amounts are not personal
 * and go into the ledger in clear; the note is typed by a person and so is a personal value there.
 * A claim may follow the request's closing: authorities pay late.
 */
@Injectable()
export class LegalRequestCompensation {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
  ) {}

  async set(requestId: string, input: SetCompensationInput, actor: Actor): Promise<CompensationView> {
    return this.dataSource.transaction(async (em) => {
      if (!(await readLegalRequest(em, requestId))) throw new LegalRequestsError(LegalRequestsErrorCode.RequestNotFound, 'No such legal request.');
      const values = { claimedOn: input.claimedOn ?? null, paidOn: input.paidOn ?? null, note: input.note ?? null };
      await upsertCompensation(em, { requestId, amount: input.amount, currency: input.currency, status: input.status, ...values, updatedBy: actor.id, updatedAt: this.clock.now() });
      const view = (await readCompensation(em, requestId)) as CompensationView;
      await this.ledger.record(em, {
        actor,
        action: 'legal-request.compensation-set',
        refs: { requestId, amount: view.amount, currency: view.currency, status: view.status, claimedOn: view.claimedOn, paidOn: view.paidOn },
        ...(view.note !== null ? { personal: { note: view.note } } : {}),
      });
      return view;
    });
  }
}
