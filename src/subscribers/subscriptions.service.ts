import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { Page } from '../common/pagination';
import { iso } from '../common/schemas';
import { Subscriber } from './subscriber.entity';
import { SubscribersError, SubscribersErrorCode } from './subscribers.errors';
import { CreateSubscriptionInput, ListSubscriptionsQuery } from './subscribers.schemas';
import { Subscription } from './subscription.entity';

/** What other contexts are handed: the subscription with real Dates; its controller maps it to the HTTP view. */
export type SubscriptionRecord = Pick<Subscription, 'id' | 'subscriberId' | 'service' | 'status' | 'startsAt' | 'endsAt'>;

/**
 * Other contexts (IP assignments, tunnels, CPE) react to a subscription ending inside the same
 * transaction, so that ending a subscription and releasing what it held commit together.
 */
export type SubscriptionEndListener = (em: EntityManager, subscriptionId: string, at: Date) => Promise<void>;

@Injectable()
export class SubscriptionsService {
  private readonly endListeners: SubscriptionEndListener[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  onSubscriptionEnded(listener: SubscriptionEndListener): void {
    this.endListeners.push(listener);
  }

  async createSubscription(input: CreateSubscriptionInput): Promise<SubscriptionRecord> {
    return this.dataSource.transaction(async (em) => {
      const subscriber = await em.getRepository(Subscriber).findOne({ where: { id: input.subscriberId }, lock: { mode: 'pessimistic_read' } });
      if (!subscriber) throw new SubscribersError(SubscribersErrorCode.SubscriberNotFound, `No subscriber ${input.subscriberId}.`);
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
    const subscription = await em.getRepository(Subscription).findOneBy({ id });
    if (!subscription) throw new SubscribersError(SubscribersErrorCode.SubscriptionNotFound, `No subscription ${id}.`);
    return subscription;
  }

  /** The subscription, locked against a concurrent end until the caller's transaction commits. */
  async lockActiveSubscription(em: EntityManager, id: string): Promise<SubscriptionRecord> {
    const subscription = await em.getRepository(Subscription).findOne({ where: { id }, lock: { mode: 'pessimistic_read' } });
    if (!subscription) throw new SubscribersError(SubscribersErrorCode.SubscriptionNotFound, `No subscription ${id}.`);
    if (subscription.status === 'ended') throw new SubscribersError(SubscribersErrorCode.SubscriptionEnded, `Subscription ${id} has ended.`);
    return subscription;
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
      const subscription = await em.getRepository(Subscription).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!subscription) throw new SubscribersError(SubscribersErrorCode.SubscriptionNotFound, `No subscription ${id}.`);
      if (subscription.status === 'ended') {
        throw new SubscribersError(SubscribersErrorCode.SubscriptionEnded, `Subscription ${id} already ended at ${iso(subscription.endsAt)}.`);
      }
      return this.end(em, subscription, this.effectiveDate(at));
    });
  }

  /** Ends every active subscription of a subscriber, inside the caller's transaction. */
  async endSubscriptionsOf(em: EntityManager, subscriberId: string, at: Date): Promise<void> {
    const active = await em.getRepository(Subscription).find({ where: { subscriberId, status: 'active' }, lock: { mode: 'pessimistic_write' } });
    for (const subscription of active) await this.end(em, subscription, at < subscription.startsAt ? subscription.startsAt : at);
  }

  effectiveDate(at: Date | undefined): Date {
    const now = this.clock.now();
    if (at && at > now) throw new SubscribersError(SubscribersErrorCode.DateInFuture, `${at.toISOString()} is in the future; record it once it has happened.`);
    return at ?? now;
  }

  private async end(em: EntityManager, subscription: Subscription, at: Date): Promise<Subscription> {
    if (at < subscription.startsAt) {
      throw new SubscribersError(SubscribersErrorCode.EndBeforeStart, `The end ${at.toISOString()} is before the start ${subscription.startsAt.toISOString()}.`);
    }
    subscription.status = 'ended';
    subscription.endsAt = at;
    await em.getRepository(Subscription).save(subscription);
    for (const listener of this.endListeners) await listener(em, subscription.id, at);
    return subscription;
  }
}
