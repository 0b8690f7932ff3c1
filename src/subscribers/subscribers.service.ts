import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, LessThan } from 'typeorm';
import { findOrFail, RowLock } from '../common/find-or-fail';
import { Page } from '../common/pagination';
import { iso } from '../common/schemas';
import { purgeCutoff, RetentionPurgers } from '../privacy/retention-purgers';
import { canTransition } from './subscriber-lifecycle';
import { Subscriber, SubscriberStatus } from './subscriber.entity';
import { SubscribersError, SubscribersErrorCode } from './subscribers.errors';
import { CreateSubscriberInput, ListSubscribersQuery, SubscriberView, UpdateSubscriberInput } from './subscribers.schemas';
import { eraseTerminatedBefore } from './subscribers.store';
import { SubscriptionsService } from './subscriptions.service';

@Injectable()
export class SubscribersService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsService,
    private readonly purgers: RetentionPurgers,
  ) {}

  /**
   * Subscription data is purged by retention, counted from termination: the members it erases are
   * the run's erased subjects, so the ledger's personal values about them go too.
   */
  onModuleInit(): void {
    this.purgers.register('subscription-data', async (request) => {
      const erased = await eraseTerminatedBefore(request.em, purgeCutoff(request), request.now);
      return { count: erased.length, erasedSubjects: erased };
    });
  }

  async createSubscriber(input: CreateSubscriberInput): Promise<SubscriberView> {
    return this.dataSource.transaction(async (em) => {
      // A counter row rather than a sequence: numbers stay gap-free (a rolled-back creation
      // gives its number back) and are never reused, since the counter only grows.
      // TypeORM answers an UPDATE with [rows, affected].
      const [[{ value }]] = await em.query('UPDATE member_number_counter SET value = value + 1 RETURNING value');
      const subscriber = await em.getRepository(Subscriber).save({
        memberNumber: Number(value),
        displayName: input.displayName,
        email: input.email,
        language: input.language,
        status: 'pending',
        terminatedAt: null,
        erasedAt: null,
      });
      return toSubscriberView(subscriber);
    });
  }

  async exists(em: EntityManager, id: string): Promise<boolean> {
    return em.getRepository(Subscriber).existsBy({ id });
  }

  async getSubscriber(id: string, em: EntityManager = this.dataSource.manager): Promise<SubscriberView> {
    return toSubscriberView(await this.find(em, id));
  }

  /** The subscriber, locked against a concurrent termination until the caller's transaction ends. */
  async lockSubscriber(em: EntityManager, id: string): Promise<SubscriberView> {
    return toSubscriberView(await this.find(em, id, 'pessimistic_read'));
  }

  /** A verified identity makes a pending member active, in the caller's transaction; other states stay. */
  async activatePending(em: EntityManager, id: string): Promise<boolean> {
    const result = await em.getRepository(Subscriber).update({ id, status: 'pending' }, { status: 'active' });
    return result.affected === 1;
  }

  /** The members (not terminated) who gave this e-mail address: whom a sign-in link may go to. */
  async withEmail(em: EntityManager, email: string): Promise<string[]> {
    const rows: { id: string }[] = await em.query(`SELECT id FROM subscribers WHERE lower(email) = lower($1) AND status <> 'terminated'`, [email]);
    return rows.map((row) => row.id);
  }

  /** Subscribers terminated before `before`: what retention counts from termination starts there. */
  async terminatedBefore(em: EntityManager, before: Date): Promise<string[]> {
    const rows = await em.getRepository(Subscriber).find({ select: { id: true }, where: { status: 'terminated', terminatedAt: LessThan(before) } });
    return rows.map((row) => row.id);
  }

  async listSubscribers(query: ListSubscribersQuery): Promise<Page<SubscriberView>> {
    const { limit, offset, status, q } = query;
    const qb = this.dataSource.getRepository(Subscriber).createQueryBuilder('s');
    if (status) qb.andWhere('s.status = :status', { status });
    if (q) {
      const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(
        new Brackets((w) => {
          if (/^\d{1,9}$/.test(q)) w.orWhere('s.member_number = :number', { number: Number(q) });
          w.orWhere('s.display_name ILIKE :pattern', { pattern }).orWhere('s.email ILIKE :pattern', { pattern });
        }),
      );
    }
    const [rows, total] = await qb.orderBy('s.member_number', 'ASC').take(limit).skip(offset).getManyAndCount();
    return { items: rows.map(toSubscriberView), total, limit, offset };
  }

  /** In the caller's transaction when given one (an accepted rectification, with its ledger entry). */
  async updateSubscriber(id: string, patch: UpdateSubscriberInput, inTransaction?: EntityManager): Promise<SubscriberView> {
    const update = async (em: EntityManager) => {
      const subscriber = await this.find(em, id, 'pessimistic_write');
      if (subscriber.status === 'terminated') {
        throw new SubscribersError(SubscribersErrorCode.SubscriberTerminated, `Subscriber ${subscriber.memberNumber} is terminated and can no longer change.`);
      }
      if (patch.status && patch.status !== subscriber.status) {
        this.assertTransition(subscriber.status, patch.status);
        subscriber.status = patch.status;
      }
      Object.assign(subscriber, {
        ...(patch.displayName !== undefined ? { displayName: patch.displayName } : {}),
        ...(patch.email !== undefined ? { email: patch.email } : {}),
        ...(patch.language !== undefined ? { language: patch.language } : {}),
      });
      return toSubscriberView(await em.getRepository(Subscriber).save(subscriber));
    };
    return inTransaction ? update(inTransaction) : this.dataSource.transaction(update);
  }

  /**
   * Terminates the membership and ends its subscriptions (and so releases what they held) at once,
   * by the rule of one subscription ending (subscription-end.ts): one that has not started is cancelled.
   */
  async terminateSubscriber(id: string, at?: Date): Promise<SubscriberView> {
    const when = this.subscriptions.effectiveDate(at);
    return this.dataSource.transaction(async (em) => {
      const subscriber = await this.find(em, id, 'pessimistic_write');
      this.assertTransition(subscriber.status, 'terminated');
      await this.subscriptions.endSubscriptionsOf(em, subscriber.id, when);
      subscriber.status = 'terminated';
      subscriber.terminatedAt = when;
      return toSubscriberView(await em.getRepository(Subscriber).save(subscriber));
    });
  }

  private assertTransition(from: SubscriberStatus, to: SubscriberStatus): void {
    if (!canTransition(from, to)) {
      throw new SubscribersError(SubscribersErrorCode.ImpossibleTransition, `A subscriber cannot go from ${from} to ${to}.`, { from, to });
    }
  }

  private async find(em: EntityManager, id: string, lock?: RowLock): Promise<Subscriber> {
    return findOrFail(em, Subscriber, id, () => new SubscribersError(SubscribersErrorCode.SubscriberNotFound, `No subscriber ${id}.`), lock);
  }
}

export function toSubscriberView(s: Subscriber): SubscriberView {
  return {
    id: s.id,
    memberNumber: s.memberNumber,
    displayName: s.displayName,
    email: s.email,
    language: s.language,
    status: s.status,
    createdAt: s.createdAt.toISOString(),
    terminatedAt: iso(s.terminatedAt),
    erasedAt: iso(s.erasedAt),
  };
}
