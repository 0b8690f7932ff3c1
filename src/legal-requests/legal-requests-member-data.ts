import { Injectable, OnModuleInit } from '@nestjs/common';
import { SubjectHolds } from '../ledger/subject-holds';
import { MemberDataProviders } from '../privacy/member-data-providers';
import { LegalRequestSubjects } from './legal-request-subjects';

/**
 * The legal-requests context's share of the member's export, and its guard on the access log: the
 * requests concerning the member once their gag is over, and none of the entries a request still
 * gagged withholds from them (the ledger's holds, asked at the export's instant).
 */
@Injectable()
export class LegalRequestsMemberData implements OnModuleInit {
  constructor(
    private readonly providers: MemberDataProviders,
    private readonly subjects: LegalRequestSubjects,
    private readonly holds: SubjectHolds,
  ) {}

  onModuleInit(): void {
    this.providers.register('legalRequests', ({ em, subscriberId, now }) => this.subjects.requestsConcerning(subscriberId, now, em));
    this.providers.registerAccessLogFilter('legal-requests', async ({ em, now }, entries) => {
      const visible = new Set(await this.holds.visibleToSubject(entries.map((entry) => entry.index), now, em));
      return entries.filter((entry) => visible.has(entry.index));
    });
  }
}
