import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { CirclesService } from '../consensus/circles.service';
import { IdentityService } from '../identity/identity.service';
import { IpAssignmentsService } from '../ipam/ip-assignments.service';
import { LedgerEntry } from '../ledger/ledger-entry';
import { LedgerService } from '../ledger/ledger.service';
import { SubscribersService } from '../subscribers/subscribers.service';
import { insertDisclosure, readDisclosure } from './legal-decisions.store';
import { openDisclosure, sealDisclosure } from './legal-request-crypto';
import { NO_INTERCEPTION_STATEMENT, NO_TRAFFIC_DATA_STATEMENT } from './legal-request-kinds';
import { LegalRequestsError, LegalRequestsErrorCode } from './legal-requests.errors';
import { DisclosureEntry } from './legal-requests.schemas';
import { LegalRequestRow, readSelectors } from './legal-requests.store';
import { DISCLOSED_FIELDS } from './disclosed-fields';
import { LegalRequestSubjects } from './legal-request-subjects';
import { RequestKeys } from './request-keys';
import { RequestTransitions } from './request-transitions';

export interface StoredDisclosure {
  entries: DisclosureEntry[];
  disclosedAt: Date;
  /** The index of the `legal-request.disclosed` entry. */
  ledgerIndex: number;
  /** What the answer states besides its entries (for traffic data, that none is held). */
  statement: string | null;
}

/**
 * Executes an adopted comply decision with the strict minimum: per selector, the holder of the address
 * at that instant (IP history read through ipam, recorded there), their verified identity (read through
 * the vault's one door, recorded there) and their member number; nothing else they hold. Each match is
 * recorded as `identity.disclosed` under the request's legal basis, the whole as one
 * `legal-request.disclosed`. The answer is kept sealed under the request key, so that asking again
 * answers the same entries without reading anything again.
 */
@Injectable()
export class DisclosuresService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly circles: CirclesService,
    private readonly ledger: LedgerService,
    private readonly ipam: IpAssignmentsService,
    private readonly identity: IdentityService,
    private readonly subscribers: SubscribersService,
    private readonly keys: RequestKeys,
    private readonly transitions: RequestTransitions,
    private readonly subjects: LegalRequestSubjects,
  ) {}

  /** `created` is false when the request was disclosed already: the stored answer, nothing read or recorded. */
  async disclose(requestId: string, actor: Actor): Promise<{ entries: DisclosureEntry[]; created: boolean }> {
    const now = this.clock.now();
    return this.dataSource.transaction(async (em) => {
      await this.circles.assertMayExecute(actor, now, em);
      // Locked: of two concurrent disclosures the second waits, then finds the first one's answer.
      const request = await this.transitions.lock(em, requestId);
      const stored = await this.stored(em, request);
      if (stored) return { entries: stored.entries, created: false };
      if (request.kind === 'interception') throw new LegalRequestsError(LegalRequestsErrorCode.NoInterceptionCapability, NO_INTERCEPTION_STATEMENT);
      if (request.status !== 'decided' || request.decision !== 'comply') {
        const state = request.decision ? `${request.status} with the decision ${request.decision}` : request.status;
        throw new LegalRequestsError(LegalRequestsErrorCode.NoComplyDecision, `Legal request is ${state}: no adopted comply decision exists, so nothing is disclosed.`, {
          status: request.status,
          decision: request.decision,
        });
      }
      const { entries, disclosed } = request.kind === 'traffic-data' ? { entries: await this.noTrafficData(em, request), disclosed: [] } : await this.identify(em, request, actor);
      const matches = entries.filter((entry) => entry.result === 'match').length;
      const noMatches = entries.filter((entry) => entry.result === 'no-match').length;
      // One append for the matches and the summary: the summary's index is the last.
      const indices = await this.ledger.recordMany(em, [
        ...disclosed,
        {
          actor,
          action: 'legal-request.disclosed',
          legalBasis: request.legal_basis,
          refs: { requestId: request.id, kind: request.kind, matches, noMatches, ...(request.kind === 'traffic-data' ? { noData: entries.length } : {}) },
        },
      ]);
      const ledgerIndex = indices[indices.length - 1];
      const sealedEntries = sealDisclosure(await this.keys.keyOf(em, request.id), request.id, Buffer.from(JSON.stringify(entries), 'utf8'));
      await insertDisclosure(em, { requestId: request.id, sealedEntries, matches, noMatches, ledgerIndex, disclosedBy: actor.id, disclosedAt: now });
      await this.transitions.move(em, request, 'answered', actor, now);
      return { entries, created: true };
    });
  }

  /** The answer as disclosed, opened with the request key; null before the disclosure. */
  async stored(em: EntityManager, request: Pick<LegalRequestRow, 'id' | 'kind'>): Promise<StoredDisclosure | null> {
    const row = await readDisclosure(em, request.id);
    if (!row) return null;
    const entries = JSON.parse(openDisclosure(await this.keys.keyOf(em, request.id), request.id, row.sealed_entries).toString('utf8')) as DisclosureEntry[];
    return { entries, disclosedAt: row.disclosed_at, ledgerIndex: row.ledger_index, statement: request.kind === 'traffic-data' ? NO_TRAFFIC_DATA_STATEMENT : null };
  }

  private async noTrafficData(em: EntityManager, request: LegalRequestRow): Promise<DisclosureEntry[]> {
    return (await readSelectors(em, request.id)).map((s) => ({ selector: { address: s.address, at: s.at.toISOString() }, result: 'no-data' }));
  }

  /**
   * One entry per selector, in order: a match only with a holder at that instant and a verified legal
   * name; with the `identity.disclosed` entry of each match, for the caller to append.
   */
  private async identify(em: EntityManager, request: LegalRequestRow, actor: Actor): Promise<{ entries: DisclosureEntry[]; disclosed: LedgerEntry[] }> {
    // What the member reads in their access log once the gag is over: the request, never its reference.
    const purpose = `legal request ${request.id} (${request.kind}), under ${request.legal_basis}`;
    const entries: DisclosureEntry[] = [];
    const disclosed: LedgerEntry[] = [];
    for (const [position, s] of (await readSelectors(em, request.id)).entries()) {
      const selector = { address: s.address, at: s.at.toISOString() };
      const holder = await this.ipam.holderAt(em, { actor, address: s.address, at: s.at, purpose, purposeCategory: 'legal-request' });
      const identity = holder && (await this.identity.readFor(purpose, holder.subscriberId, actor, { purposeCategory: 'legal-request', em }));
      if (!holder || !identity?.legalName) {
        // A holder found but not identified is still concerned: their IP-history read is withheld from them while the gag runs.
        if (holder) await this.subjects.recordSubject(em, request.id, holder.subscriberId, { selector: position, disclosed: [] });
        entries.push({ selector, result: 'no-match' });
        continue;
      }
      await this.subjects.recordSubject(em, request.id, holder.subscriberId, { selector: position, disclosed: DISCLOSED_FIELDS });
      const { memberNumber } = await this.subscribers.getSubscriber(holder.subscriberId, em);
      const { method, value, verifiedAt } = identity.verifiedContact;
      entries.push({ selector, result: 'match', memberNumber, legalName: identity.legalName, verifiedContact: { method, value, verifiedAt: verifiedAt.toISOString() } });
      disclosed.push({
        actor,
        action: 'identity.disclosed',
        subject: holder.subscriberId,
        purposeCategory: 'legal-request',
        legalBasis: request.legal_basis,
        refs: { requestId: request.id, selector: position },
      });
    }
    return { entries, disclosed };
  }
}
