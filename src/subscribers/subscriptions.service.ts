import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { findOrFail } from '../common/find-or-fail';
import { Page } from '../common/pagination';
import { iso } from '../common/schemas';
import { Subscriber } from './subscriber.entity';
import { SubscribersError, SubscribersErrorCode } from './subscribers.errors';
import { CreateSubscriptionInput, ListSubscriptionsQuery } from './subscribers.schemas';
import { subscriptionEnd } from './subscription-end';
import { SubscriptionEndHandlers } from './subscription-end-handlers';
import { Subscription } from './subscription.entity';

/** What other contexts are handed: the subscription with real Dates; its controller maps it to the HTTP view. */
export type SubscriptionRecord = Pick<Subscription, 'id' | 'subscriberId' | 'service' | 'status' | 'startsAt' | 'endsAt'>;

@Injectable()
export class SubscriptionsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly endHandlers: SubscriptionEndHandlers,
  ) {}

  async createSubscription(input: CreateSubscriptionInput): Promise<SubscriptionRecord> {
    return this.dataSource.transaction(async (em) => {
      const subscriber = await findOrFail(em, Subscriber, input.subscriberId, (id) => new SubscribersError(SubscribersErrorCode.SubscriberNotFound, `No subscriber ${id}.`), 'pessimistic_read');
      if (subscriber.status === 'terminated') {
        throw new SubscribersError(SubscribersErrorCode.SubscriberTerminated, `Subscriber ${subscriber.memberNumber} is terminated; a new subscription needs an active membership.`);
      }
      const subscription = await em.getRepository(Subscription).save({
        subscriberId: subscriber.id,
        service: input.service,
        status: 'active',
        startsAt: input.startsAt ?? this.clock.now(),
        endsAt: null,
      });
      return subscription;
    });
  }

  async getSubscription(id: string, em: EntityManager = this.dataSource.manager): Promise<SubscriptionRecord> {
    return findOrFail(em, Subscription, id, subscriptionNotFound);
  }

  /** The subscription, locked against a concurrent end until the caller's transaction commits. */
  async lockActiveSubscription(em: EntityManager, id: string): Promise<SubscriptionRecord> {
    const subscription = await findOrFail(em, Subscription, id, subscriptionNotFound, 'pessimistic_read');
    if (subscription.status === 'ended') throw new SubscribersError(SubscribersErrorCode.SubscriptionEnded, `Subscription ${id} has ended.`);
    return subscription;
  }

  /** The ids of every subscription of a subscriber, in the caller's transaction (a member's export gathers by them). */
  async idsOf(em: EntityManager, subscriberId: string): Promise<string[]> {
    const rows = await em.getRepository(Subscription).find({ select: { id: true }, where: { subscriberId } });
    return rows.map((row) => row.id);
  }

  async listSubscriptions(query: ListSubscriptionsQuery): Promise<Page<SubscriptionRecord>> {
    const { limit, offset, subscriberId, status } = query;
    const [rows, total] = await this.dataSource.getRepository(Subscription).findAndCount({
      where: { ...(subscriberId ? { subscriberId } : {}), ...(status ? { status } : {}) },
      order: { startsAt: 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items: rows, total, limit, offset };
  }

  async endSubscription(id: string, at?: Date): Promise<SubscriptionRecord> {
    return this.dataSource.transaction(async (em) => {
      const subscription = await findOrFail(em, Subscription, id, subscriptionNotFound, 'pessimistic_write');
      if (subscription.status === 'ended') {
        throw new SubscribersError(SubscribersErrorCode.SubscriptionEnded, `Subscription ${id} already ended at ${iso(subscription.endsAt)}.`);
      }
      return this.end(em, subscription, at ?? this.clock.now());
    });
  }

  /** Ends every active subscription of a subscriber at `at`, inside the caller's transaction, by the same rule as one. */
  async endSubscriptionsOf(em: EntityManager, subscriberId: string, at: Date): Promise<void> {
    const active = await em.getRepository(Subscription).find({ where: { subscriberId, status: 'active' }, lock: { mode: 'pessimistic_write' } });
    for (const subscription of active) await this.end(em, subscription, at);
  }

  /** When something recorded after the fact took effect: `at`, or now; never in the future. */
  effectiveDate(at: Date | undefined): Date {
    const now = this.clock.now();
    if (at && at > now) throw new SubscribersError(SubscribersErrorCode.DateInFuture, `${at.toISOString()} is in the future; record it once it has happened.`);
    return at ?? now;
  }

  /** The one way a subscription ends (see subscription-end.ts), and what the other contexts then release. */
  private async end(em: EntityManager, subscription: Subscription, at: Date): Promise<Subscription> {
    const end = subscriptionEnd(subscription.startsAt, at, this.clock.now());
    if (!end.ok) {
      const code = end.problem === 'date-in-future' ? SubscribersErrorCode.DateInFuture : SubscribersErrorCode.EndBeforeStart;
      throw new SubscribersError(code, `Subscription ${subscription.id}: ${end.reason}`, { subscriptionId: subscription.id });
    }
    subscription.status = 'ended';
    subscription.startsAt = end.startsAt;
    subscription.endsAt = end.endsAt;
    await em.getRepository(Subscription).save(subscription);
    await this.endHandlers.run(em, subscription.id, end.endsAt);
    return subscription;
  }
}

const subscriptionNotFound = (id: string) => new SubscribersError(SubscribersErrorCode.SubscriptionNotFound, `No subscription ${id}.`);
