import { Injectable, OnModuleInit } from '@nestjs/common';
import { iso } from '../common/schemas';
import { MemberDataProviders } from '../privacy/member-data-providers';
import { SubscriptionsService } from '../subscribers/subscriptions.service';
import { toLookupItem } from './ip-assignments.service';
import { assignmentsOfSubscriptions } from './ipam.store';

/** IPAM's share of the member's export: every assignment of their subscriptions still retained, current and ended. */
@Injectable()
export class IpamMemberData implements OnModuleInit {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly providers: MemberDataProviders,
  ) {}

  onModuleInit(): void {
    this.providers.register('ipAssignments', async ({ em, subscriberId }) => {
      const rows = await assignmentsOfSubscriptions(em, await this.subscriptions.idsOf(em, subscriberId));
      return rows.map((row) => ({ ...toLookupItem(row), quarantineUntil: iso(row.quarantine_until) }));
    });
  }
}
