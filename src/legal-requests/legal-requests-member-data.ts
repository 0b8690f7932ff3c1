import { Injectable, OnModuleInit } from '@nestjs/common';
import { MemberDataProviders } from '../privacy/member-data-providers';

/**
 * The legal-requests context's share of the member's export, and its guard on the access log.
 *
 * Interim, until the gag rules land (requests concerning a member, and when their gag has passed):
 * the section lists no request, and the access log hides every entry of the legal path (purpose
 * category legal-request, and disclosures), since without those rules no entry can be shown to be
 * past its gag. Hiding too much for a while is recoverable; telling a member of a gagged request is not.
 */
@Injectable()
export class LegalRequestsMemberData implements OnModuleInit {
  constructor(private readonly providers: MemberDataProviders) {}

  onModuleInit(): void {
    this.providers.register('legalRequests', async () => []);
    this.providers.registerAccessLogFilter('legal-requests', async (_request, entries) =>
      entries.filter((entry) => entry.purposeCategory !== 'legal-request' && !entry.action.startsWith('identity.disclosed') && !entry.action.startsWith('legal-request.')),
    );
  }
}
