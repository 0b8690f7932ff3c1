import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { iso } from '../common/schemas';
import { MemberDataProviders } from '../privacy/member-data-providers';
import { RectifiableFields } from '../privacy/rectifiable-fields';
import { SubscribersService } from './subscribers.service';
import { DisplayName, Email, Language } from './subscribers.schemas';
import { Subscription } from './subscription.entity';

/**
 * The subscribers context's share of the member's export (their record and subscriptions) and of
 * rectification (the operational fields, applied through updateSubscriber with the same rules as
 * a technician's PATCH).
 */
@Injectable()
export class SubscriberMemberData implements OnModuleInit {
  constructor(
    private readonly subscribers: SubscribersService,
    private readonly providers: MemberDataProviders,
    private readonly fields: RectifiableFields,
  ) {}

  onModuleInit(): void {
    this.providers.register('subscriber', ({ em, subscriberId }) => this.subscribers.getSubscriber(subscriberId, em));
    this.providers.register('subscriptions', async ({ em, subscriberId }) => {
      const rows = await em.getRepository(Subscription).find({ where: { subscriberId }, order: { startsAt: 'ASC', id: 'ASC' } });
      return rows.map((s) => ({ id: s.id, service: s.service, status: s.status, startsAt: s.startsAt.toISOString(), endsAt: iso(s.endsAt), createdAt: s.createdAt.toISOString() }));
    });
    const apply = (field: 'displayName' | 'email' | 'language') => async (em: EntityManager, subscriberId: string, value: string) => {
      await this.subscribers.updateSubscriber(subscriberId, { [field]: value }, em);
    };
    this.fields.register('displayName', { schema: DisplayName, apply: apply('displayName') });
    this.fields.register('email', { schema: Email, apply: apply('email') });
    this.fields.register('language', { schema: Language, apply: apply('language') });
  }
}
