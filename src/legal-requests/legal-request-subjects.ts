import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { LedgerService } from '../ledger/ledger.service';
import { SubjectHolds } from '../ledger/subject-holds';
import { purgeCutoff, RetentionPurgers } from '../privacy/retention-purgers';
import type { DisclosedField } from './disclosed-fields';
import { deleteExpiredRequests, gaggedRequests, insertSubject, readRequestsConcerning } from './legal-request-subjects.store';
import type { LegalRequestKind } from './legal-request-kinds';
import type { Decision, LegalRequestStatus } from './legal-request-status';

/** A request as the member it concerns reads it once its gag is over: never its reference. */
export interface RequestConcerning {
  id: string;
  kind: LegalRequestKind;
  authority: string;
  legalBasis: string;
  receivedAt: string;
  status: LegalRequestStatus;
  decision: Decision | null;
  /** Each selector the member was found holding, with the names of the fields disclosed about them (none when nothing was). */
  disclosed: { selector: { address: string; at: string }; fields: DisclosedField[] }[];
}

/**
 * Whom a request concerns, and its gag. A disclosure calls `recordSubject` for each holder it finds,
 * in its own transaction; from then on every entry about that member recorded in that transaction (the
 * IP history lookup, the identity read, the disclosure) is withheld from their access log while the
 * request's gag runs, and `requestsConcerning` shows them the request only once it is over. The gag's
 * date is read at every reading, from the request: there is no second copy to drift.
 */
@Injectable()
export class LegalRequestSubjects implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly holds: SubjectHolds,
    private readonly purgers: RetentionPurgers,
  ) {}

  onModuleInit(): void {
    this.holds.register('legal-request', (em, now) => gaggedRequests(em, now));
    this.purgers.register('legal-requests', async ({ em, now, keepDays }) => {
      const purged = await deleteExpiredRequests(em, purgeCutoff({ now, keepDays }), now);
      // The entries stay; what they held personal (the typed purpose naming the request, the address looked up) goes with the request.
      await this.holds.erasePersonalValuesUnder(em, purged.map((id) => ({ kind: 'legal-request', id })), now);
      return { count: purged.length };
    });
  }

  /**
   * Records, in the disclosure's transaction, that `subscriberId` held the request's selector at
   * `selector` (its position) and which fields of the answer are about them. Call it for every holder
   * found, matched or not: a lookup alone concerns them too.
   */
  async recordSubject(em: EntityManager, requestId: string, subscriberId: string, found: { selector: number; disclosed: readonly DisclosedField[] }): Promise<void> {
    await insertSubject(em, { requestId, subscriberId, position: found.selector, disclosed: found.disclosed, foundAt: this.clock.now() });
    await this.ledger.withholdFromSubject(em, subscriberId, { kind: 'legal-request', id: requestId });
  }

  /** The requests concerning a member whose gag is over at `now`, or that had none; latest received first. */
  async requestsConcerning(subscriberId: string, now: Date, em: EntityManager = this.dataSource.manager): Promise<RequestConcerning[]> {
    const rows = await readRequestsConcerning(em, subscriberId, now);
    return rows.map((row) => ({
      id: row.id,
      kind: row.kind,
      authority: row.authority,
      legalBasis: row.legal_basis,
      receivedAt: row.received_at.toISOString(),
      status: row.status,
      decision: row.decision,
      disclosed: row.selectors.map((s) => ({ selector: { address: s.address, at: new Date(s.at).toISOString() }, fields: s.disclosed })),
    }));
  }
}
