import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { Page } from '../common/pagination';
import { iso } from '../common/schemas';
import { APP_CONFIG, AppConfig, KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { MasterKeyMismatchError } from '../identity/master-key-check';
import { masterKeyFingerprint } from '../identity/vault-crypto';
import { LedgerService } from '../ledger/ledger.service';
import { ClosedBoundProposal, ProposalOutcomes } from '../consensus/proposal-outcomes';
import { DocumentType, sniffDocumentType } from './document-type';
import { loadLegalBases } from './legal-bases';
import { newRequestKey, openDocumentPart, sealDocumentPart, unwrapRequestKey, wrapRequestKey } from './legal-request-crypto';
import { LegalRequestsError, LegalRequestsErrorCode } from './legal-requests.errors';
import { readCompensation } from './compensation.store';
import { LegalRequestDeadlines } from './legal-request-deadlines.service';
import { AttachDocumentInput, CreateLegalRequestInput, DocumentView, LegalBasesView, LegalRequestSummary, LegalRequestView, ListLegalRequestsQuery } from './legal-requests.schemas';
import {
  insertDocument,
  insertLegalRequest,
  LegalRequestRow,
  listLegalRequests,
  readDocument,
  readDocumentList,
  readLegalRequest,
  readSelectors,
  readWrappedRequestKey,
} from './legal-requests.store';

/**
 * Intake of the justice system's requests and the authority's documents. The documents are sealed
 * under the request's own key; the master key only wraps that key. Intake, each upload and each
 * reading of a document are recorded in the ledger in the transaction that does them.
 */
@Injectable()
export class LegalRequestsService implements OnModuleInit {
  private readonly fingerprint: string;
  private readonly legalBases: LegalBasesView;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(KEY_MATERIAL) private readonly keys: KeyMaterial,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
    private readonly outcomes: ProposalOutcomes,
    private readonly deadlines: LegalRequestDeadlines,
  ) {
    this.fingerprint = masterKeyFingerprint(keys.masterKey);
    this.legalBases = { jurisdiction: config.jurisdiction, items: loadLegalBases(config.jurisdiction) };
  }

  onModuleInit(): void {
    this.outcomes.register('legal-request', (em, closed) => this.decisionClosed(em, closed));
  }

  // Placeholder until decisions land (issue 9): the request's status follows its proposal's outcome.
  private decisionClosed(_em: EntityManager, closed: ClosedBoundProposal): Promise<void> {
    return Promise.reject(new Error(`legal request decisions are not built yet (proposal ${closed.proposalId})`));
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
        wrappedKey: wrapRequestKey(this.keys.masterKey, id, newRequestKey()),
        masterKey: this.fingerprint,
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

  async show(id: string): Promise<LegalRequestView> {
    return this.dataSource.transaction('REPEATABLE READ', async (em) => {
      const row = await this.requestOrFail(em, id);
      const selectors = await readSelectors(em, id);
      const documents = await readDocumentList(em, id);
      const key = documents.length > 0 ? await this.requestKey(em, id) : null;
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
        decisionProposal: null,
        disclosures: [],
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
      const key = await this.requestKey(em, requestId);
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
      const content = openDocumentPart(await this.requestKey(em, requestId), requestId, documentId, 'content', document.sealed_content);
      await this.ledger.record(em, { actor, action: 'legal-request.document-read', refs: { requestId, documentId } });
      return { contentType: document.content_type, content };
    });
  }

  private async requestOrFail(em: EntityManager, id: string): Promise<LegalRequestRow> {
    const row = await readLegalRequest(em, id);
    if (!row) throw new LegalRequestsError(LegalRequestsErrorCode.RequestNotFound, 'No such legal request.');
    return row;
  }

  private async requestKey(em: EntityManager, requestId: string): Promise<Buffer> {
    const row = await readWrappedRequestKey(em, requestId);
    if (!row) throw new LegalRequestsError(LegalRequestsErrorCode.RequestNotFound, 'No such legal request.');
    if (row.masterKey !== this.fingerprint) throw new MasterKeyMismatchError('does not wrap this request key: a master key rotation is under way');
    return unwrapRequestKey(this.keys.masterKey, requestId, row.wrapped);
  }
}

function summary(row: LegalRequestRow): LegalRequestSummary {
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
