import { Injectable, OnModuleInit } from '@nestjs/common';
import { iso } from '../common/schemas';
import { MemberDataProviders } from '../privacy/member-data-providers';
import { IdentityService } from './identity.service';
import { verificationsOf } from './identity.store';
import { statusAt } from './verification-rules';

/** Why the member's own export opens their identity, as their access log will show it. */
export const EXPORT_PURPOSE = 'export of my data';

/**
 * The identity vault's share of the member's export: the identity through the vault's one door
 * (readFor records identity.read, member-request, in the export's transaction), and the
 * verifications' status and dates.
 */
@Injectable()
export class IdentityMemberData implements OnModuleInit {
  constructor(
    private readonly identities: IdentityService,
    private readonly providers: MemberDataProviders,
  ) {}

  onModuleInit(): void {
    this.providers.register('identity', async ({ em, subscriberId, actor }) => {
      const identity = await this.identities.readFor(EXPORT_PURPOSE, subscriberId, actor, { purposeCategory: 'member-request', em });
      if (!identity) return null;
      return { legalName: identity.legalName, verifiedContact: { ...identity.verifiedContact, verifiedAt: identity.verifiedContact.verifiedAt.toISOString() } };
    });
    this.providers.register('verifications', async ({ em, subscriberId, now }) => {
      return (await verificationsOf(em, subscriberId)).map((v) => ({
        id: v.id,
        method: v.method,
        status: statusAt({ status: v.status, expiresAt: v.expires_at }, now),
        attempts: v.attempts,
        sends: v.sends,
        createdAt: v.created_at.toISOString(),
        lastSentAt: v.last_sent_at.toISOString(),
        expiresAt: v.expires_at.toISOString(),
        endedAt: iso(v.ended_at),
      }));
    });
  }
}
