import { Injectable, OnModuleInit } from '@nestjs/common';
import { iso } from '../common/schemas';
import { MemberDataProviders } from '../privacy/member-data-providers';
import { SubscriptionsService } from '../subscribers/subscriptions.service';
import { namesOfSubscriptions } from './dns.store';

/** The dns context's share of the member's export: the PTR names of each of their IP assignments, with their history. */
@Injectable()
export class DnsMemberData implements OnModuleInit {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly providers: MemberDataProviders,
  ) {}

  onModuleInit(): void {
    this.providers.register('reverseDns', async ({ em, subscriberId }) => {
      const byAssignment: Record<string, unknown[]> = {};
      for (const row of await namesOfSubscriptions(em, await this.subscriptions.idsOf(em, subscriberId))) {
        (byAssignment[row.assignment_id] ??= []).push({ address: row.address, name: row.name, setAt: row.set_at.toISOString(), clearedAt: iso(row.cleared_at), clearedBecause: row.cleared_because });
      }
      return byAssignment;
    });
  }
}
