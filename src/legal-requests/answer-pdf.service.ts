import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Checkpoint } from '../ledger/checkpoint';
import { CheckpointService } from '../ledger/checkpoint.service';
import { LedgerService } from '../ledger/ledger.service';
import { renderAnswerPdf } from './answer-pdf';
import { DisclosuresService } from './disclosures.service';
import { LegalRequestsError, LegalRequestsErrorCode } from './legal-requests.errors';
import { readLegalRequest } from './legal-requests.store';

/**
 * The printed answer of a disclosure, citing its ledger entry and a signed checkpoint that covers it.
 * It holds what was disclosed, so each printing is recorded in the ledger. Before the disclosure there
 * is nothing to print (a contest or a refusal is written by the circle itself): 409.
 */
@Injectable()
export class AnswerPdfService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly checkpoints: CheckpointService,
    private readonly disclosures: DisclosuresService,
  ) {}

  async render(requestId: string, actor: Actor): Promise<Buffer> {
    const { request, disclosure } = await this.dataSource.transaction(async (em) => {
      const request = await readLegalRequest(em, requestId);
      if (!request) throw new LegalRequestsError(LegalRequestsErrorCode.RequestNotFound, 'No such legal request.');
      const disclosure = await this.disclosures.stored(em, request);
      if (!disclosure) {
        throw new LegalRequestsError(LegalRequestsErrorCode.NotDisclosed, `Legal request is ${request.status}: nothing has been disclosed, so there is no answer to print.`, {
          status: request.status,
        });
      }
      await this.ledger.record(em, { actor, action: 'legal-request.answer-printed', refs: { requestId, disclosureIndex: disclosure.ledgerIndex } });
      return { request, disclosure };
    });
    return renderAnswerPdf(
      {
        association: this.config.association,
        request: { id: request.id, authority: request.authority, reference: request.reference, legalBasis: request.legal_basis, kind: request.kind, receivedAt: request.received_at },
        disclosedAt: disclosure.disclosedAt,
        entries: disclosure.entries,
        statement: disclosure.statement,
        ledgerIndex: disclosure.ledgerIndex,
        checkpoint: await this.covering(disclosure.ledgerIndex),
      },
      this.clock.now(),
    );
  }

  /** A stored checkpoint whose tree holds `index`; signed now when the latest one is older than the entry. */
  private async covering(index: number): Promise<Checkpoint> {
    const latest = await this.checkpoints.latest();
    if (latest.treeSize > index) return latest;
    return (await this.checkpoints.issueIfBehind()) ?? this.checkpoints.latest();
  }
}
