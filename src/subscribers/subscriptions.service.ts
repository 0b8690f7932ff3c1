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
import { Subscription } from './subscription.entity';

export interface SubscriptionView {
  id: string;
  subscriberId: string;
  service: Subscription['service'];
  status: Subscription['status'];
  startsAt: string;
  endsAt: string | null;
}

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

  async createSubscription(input: CreateSubscriptionInput): Promise<SubscriptionView> {
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
      return toSubscriptionView(subscription);
    });
  }

  async getSubscription(id: string, em: EntityManager = this.dataSource.manager): Promise<SubscriptionView> {
    return toSubscriptionView(await findOrFail(em, Subscription, id, subscriptionNotFound));
  }

  /** The subscription, locked against a concurrent end until the caller's transaction commits. */
  async lockActiveSubscription(em: EntityManager, id: string): Promise<SubscriptionView> {
    const subscription = await findOrFail(em, Subscription, id, subscriptionNotFound, 'pessimistic_read');
    if (subscription.status === 'ended') throw new SubscribersError(SubscribersErrorCode.SubscriptionEnded, `Subscription ${id} has ended.`);
    return toSubscriptionView(subscription);
  }

  async listSubscriptions(query: ListSubscriptionsQuery): Promise<Page<SubscriptionView>> {
    const { limit, offset, subscriberId, status } = query;
    const [rows, total] = await this.dataSource.getRepository(Subscription).findAndCount({
      where: { ...(subscriberId ? { subscriberId } : {}), ...(status ? { status } : {}) },
      order: { startsAt: 'DESC', id: 'ASC' },
      take: limit,
      skip: offset,
    });
    return { items: rows.map(toSubscriptionView), total, limit, offset };
  }

  async endSubscription(id: string, at?: Date): Promise<SubscriptionView> {
    return this.dataSource.transaction(async (em) => {
      const subscription = await findOrFail(em, Subscription, id, subscriptionNotFound, 'pessimistic_write');
      if (subscription.status === 'ended') {
        throw new SubscribersError(SubscribersErrorCode.SubscriptionEnded, `Subscription ${id} already ended at ${iso(subscription.endsAt)}.`);
      }
      return toSubscriptionView(await this.end(em, subscription, this.effectiveDate(at)));
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

const subscriptionNotFound = (id: string) => new SubscribersError(SubscribersErrorCode.SubscriptionNotFound, `No subscription ${id}.`);

export function toSubscriptionView(s: Subscription): SubscriptionView {
  return { id: s.id, subscriberId: s.subscriberId, service: s.service, status: s.status, startsAt: s.startsAt.toISOString(), endsAt: iso(s.endsAt) };
}
