import { Injectable, OnModuleInit } from '@nestjs/common';
import { iso } from '../common/schemas';
import { MemberDataProviders } from '../privacy/member-data-providers';
import { SubscriptionsService } from '../subscribers/subscriptions.service';
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
      return rows.map((row) => ({
        id: row.id,
        subscriptionId: row.subscription_id,
        poolId: row.pool_id,
        prefix: row.prefix,
        validFrom: row.valid_from.toISOString(),
        validUntil: iso(row.valid_until),
        quarantineUntil: iso(row.quarantine_until),
      }));
    });
  }
}
