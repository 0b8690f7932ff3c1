import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { Page } from '../common/pagination';
import { iso } from '../common/schemas';
import { APP_CONFIG, AppConfig } from '../config/config';
import { LedgerService } from '../ledger/ledger.service';
import { DisclosuresService } from './disclosures.service';
import { DocumentType, sniffDocumentType } from './document-type';
import { LegalDecisionsService } from './legal-decisions.service';
import { loadLegalBases } from './legal-bases';
import { openDocumentPart, sealDocumentPart } from './legal-request-crypto';
import { LegalRequestsError, LegalRequestsErrorCode } from './legal-requests.errors';
import { readCompensation } from './compensation.store';
import { LegalRequestDeadlines } from './legal-request-deadlines.service';
import { reminderDue, ReminderKind } from './legal-request-deadlines';
import type { LegalRequestStatus } from './legal-request-status';
import { AttachDocumentInput, CreateLegalRequestInput, DocumentView, LegalBasesView, LegalRequestSummary, LegalRequestView, ListLegalRequestsQuery } from './legal-requests.schemas';
import { insertDocument, insertLegalRequest, LegalRequestRow, listByDeadline, listLegalRequests, readDocument, readDocumentList, readLegalRequest, readSelectors } from './legal-requests.store';
import { RequestKeys } from './request-keys';

/** The states in which a request still waits for the circle: its decision, or the answer it decided. */
export const AWAITING_STATUSES: readonly LegalRequestStatus[] = ['received', 'under-review', 'decided'];

export type AwaitingRequest = LegalRequestSummary & { deadline: ReminderKind | null };

/**
 * Intake of the justice system's requests and the authority's documents. The documents are sealed
 * under the request's own key; the master key only wraps that key. Intake, each upload and each
 * reading of a document are recorded in the ledger in the transaction that does them.
 */
@Injectable()
export class LegalRequestsService {
  private readonly legalBases: LegalBasesView;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
    private readonly keys: RequestKeys,
    private readonly decisions: LegalDecisionsService,
    private readonly disclosures: DisclosuresService,
    private readonly deadlines: LegalRequestDeadlines,
  ) {
    this.legalBases = { jurisdiction: config.jurisdiction, items: loadLegalBases(config.jurisdiction) };
  }

  knownLegalBases(): LegalBasesView {
    return this.legalBases;
  }

  async receive(input: CreateLegalRequestInput, actor: Actor): Promise<{ id: string; status: 'received' }> {
    const id = randomUUID();
    await this.dataSource.transaction(async (em) => {
      await insertLegalRequest(em, {
        id,
        authority: input.authority,
        reference: input.reference,
        legalBasis: input.legalBasis,
        kind: input.kind,
        receivedAt: input.receivedAt,
        dueAt: input.dueAt ?? null,
        gagUntil: input.gagUntil ?? null,
        wrappedKey: this.keys.wrapNew(id),
        masterKey: this.keys.fingerprint,
        createdBy: actor.id,
        createdAt: this.clock.now(),
        selectors: input.selectors,
      });
      await this.ledger.record(em, { actor, action: 'legal-request.received', refs: { requestId: id, kind: input.kind } });
      // A deadline already within three days (or passed) is told to the circle now, not at the next sweep.
      await this.deadlines.remind(em, id);
    });
    return { id, status: 'received' };
  }

  async list(query: ListLegalRequestsQuery): Promise<Page<LegalRequestSummary>> {
    const { rows, total } = await listLegalRequests(this.dataSource.manager, query, query.limit, query.offset);
    return { items: rows.map(summary), total, limit: query.limit, offset: query.offset };
  }

  /**
   * What the circle still has to decide or answer (received, under review, decided), nearest deadline
   * first, each marked as the deadline reminders would mark it now (due soon, overdue).
   */
  async awaitingDecision(limit: number): Promise<{ items: AwaitingRequest[]; total: number }> {
    const now = this.clock.now();
    const { rows, total } = await listByDeadline(this.dataSource.manager, AWAITING_STATUSES, limit);
    return { items: rows.map((row) => ({ ...summary(row), deadline: reminderDue({ status: row.status, dueAt: row.due_at }, now) })), total };
  }

  async show(id: string): Promise<LegalRequestView> {
    return this.dataSource.transaction('REPEATABLE READ', async (em) => {
      const row = await this.requestOrFail(em, id);
      const selectors = await readSelectors(em, id);
      const documents = await readDocumentList(em, id);
      const key = documents.length > 0 ? await this.keys.keyOf(em, id) : null;
      const disclosure = await this.disclosures.stored(em, row);
      return {
        ...summary(row),
        selectors: selectors.map((s) => ({ address: s.address, at: s.at.toISOString() })),
        documents: documents.map((d) => ({
          id: d.id,
          filename: openDocumentPart(key as Buffer, id, d.id, 'filename', d.sealed_filename).toString('utf8'),
          contentType: d.content_type,
          size: d.size,
          attachedAt: d.attached_at.toISOString(),
        })),
        decisionProposal: await this.decisions.latestView(em, id),
        disclosures: disclosure?.entries ?? [],
        disclosedAt: iso(disclosure?.disclosedAt),
        disclosureLedgerIndex: disclosure?.ledgerIndex ?? null,
        disclosureStatement: disclosure?.statement ?? null,
        compensation: await readCompensation(em, id),
      };
    });
  }

  /** The type is read from the bytes; whatever the client declared is ignored. */
  async attach(requestId: string, input: AttachDocumentInput, actor: Actor): Promise<DocumentView> {
    const contentType = sniffDocumentType(input.contentBase64);
    if (!contentType) {
      throw new LegalRequestsError(LegalRequestsErrorCode.DocumentTypeRefused, 'contentBase64 is not a PDF, PNG or JPEG file (read from its bytes, whatever its name says).', {
        errors: [{ path: 'contentBase64', message: 'must be a PDF, PNG or JPEG file' }],
      });
    }
    const id = randomUUID();
    const attachedAt = this.clock.now();
    await this.dataSource.transaction(async (em) => {
      await this.requestOrFail(em, requestId);
      const key = await this.keys.keyOf(em, requestId);
      await insertDocument(em, {
        id,
        requestId,
        contentType,
        size: input.contentBase64.length,
        sealedFilename: sealDocumentPart(key, requestId, id, 'filename', Buffer.from(input.filename, 'utf8')),
        sealedContent: sealDocumentPart(key, requestId, id, 'content', input.contentBase64),
        attachedBy: actor.id,
        attachedAt,
      });
      await this.ledger.record(em, { actor, action: 'legal-request.document-attached', refs: { requestId, documentId: id, contentType } });
    });
    return { id, filename: input.filename, contentType, size: input.contentBase64.length, attachedAt: attachedAt.toISOString() };
  }

  /** The document decrypted, its reading recorded in the ledger. */
  async readDocument(requestId: string, documentId: string, actor: Actor): Promise<{ contentType: DocumentType; content: Buffer }> {
    return this.dataSource.transaction(async (em) => {
      const document = await readDocument(em, requestId, documentId);
      if (!document) throw new LegalRequestsError(LegalRequestsErrorCode.DocumentNotFound, 'No such document on this legal request.');
      const content = openDocumentPart(await this.keys.keyOf(em, requestId), requestId, documentId, 'content', document.sealed_content);
      await this.ledger.record(em, { actor, action: 'legal-request.document-read', refs: { requestId, documentId } });
      return { contentType: document.content_type, content };
    });
  }

  private async requestOrFail(em: EntityManager, id: string): Promise<LegalRequestRow> {
    const row = await readLegalRequest(em, id);
    if (!row) throw new LegalRequestsError(LegalRequestsErrorCode.RequestNotFound, 'No such legal request.');
    return row;
  }

}

export function summary(row: LegalRequestRow): LegalRequestSummary {
  return {
    id: row.id,
    status: row.status,
    decision: row.decision,
    authority: row.authority,
    reference: row.reference,
    legalBasis: row.legal_basis,
    kind: row.kind,
    receivedAt: row.received_at.toISOString(),
    dueAt: iso(row.due_at),
    gagUntil: iso(row.gag_until),
    createdAt: row.created_at.toISOString(),
    decidedAt: iso(row.decided_at),
    answeredAt: iso(row.answered_at),
    closedAt: iso(row.closed_at),
  };
}
