import { Injectable, OnModuleInit } from '@nestjs/common';
import { MemberDataProviders } from '../privacy/member-data-providers';
import { SubscriptionsService } from '../subscribers/subscriptions.service';

/** The CPE context's share of the member's export: every loan to one of their subscriptions, with the device lent (no account ids). */
@Injectable()
export class CpeMemberData implements OnModuleInit {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly providers: MemberDataProviders,
  ) {}

  onModuleInit(): void {
    this.providers.register('cpe', async ({ em, subscriberId }) => {
      const subscriptionIds = await this.subscriptions.idsOf(em, subscriberId);
      const rows: { id: string; subscription_id: string; model: string; serial: string; mac_addresses: string[]; assigned_at: Date; returned_at: Date | null; return_condition: string | null }[] =
        await em.query(
          `SELECT l.id, l.subscription_id, c.model, c.serial, l.assigned_at, l.returned_at, l.return_condition,
                  ARRAY(SELECT m.mac::text FROM cpe_mac_addresses m WHERE m.cpe_id = c.id ORDER BY m.position) AS mac_addresses
             FROM cpe_loans l JOIN cpe c ON c.id = l.cpe_id
            WHERE l.subscription_id = ANY ($1::uuid[]) ORDER BY l.assigned_at, l.id`,
          [subscriptionIds],
        );
      return rows.map((row) => ({
        id: row.id,
        subscriptionId: row.subscription_id,
        model: row.model,
        serial: row.serial,
        macAddresses: row.mac_addresses,
        assignedAt: row.assigned_at.toISOString(),
        returnedAt: row.returned_at?.toISOString() ?? null,
        returnCondition: row.return_condition,
      }));
    });
  }
}
