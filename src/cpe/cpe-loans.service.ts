import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, Not } from 'typeorm';
import type { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { Page, Pagination } from '../common/pagination';
import { SubscriptionEndHandlers } from '../subscribers/subscription-end-handlers';
import { SubscriptionsService } from '../subscribers/subscriptions.service';
import { CpeInventoryService } from './cpe-inventory.service';
import { CpeLoan, ReturnCondition } from './cpe-loan.entity';
import { Cpe } from './cpe.entity';
import { CpeError, CpeErrorCode } from './cpe.errors';
import { CpeToCollectView, CpeView, LoanView } from './cpe.schemas';

/** Lending devices to subscriptions, taking them back, and who had which device when. */
@Injectable()
export class CpeLoansService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly inventory: CpeInventoryService,
    private readonly subscriptions: SubscriptionsService,
    private readonly endHandlers: SubscriptionEndHandlers,
  ) {}

  /** A device still out when its subscription ends joins the to-collect list, in the same transaction. */
  onModuleInit(): void {
    this.endHandlers.register('cpe.mark-to-collect', (em, subscriptionId, at) => this.markToCollect(em, subscriptionId, at));
  }

  async assign(cpeId: string, subscriptionId: string, actor: Actor): Promise<CpeView> {
    return this.dataSource.transaction(async (em) => {
      const cpe = await this.inventory.find(em, cpeId, true);
      if (cpe.status === 'assigned') throw new CpeError(CpeErrorCode.AlreadyAssigned, `CPE ${cpe.serial} is already lent out; return it first.`);
      if (cpe.status === 'broken') throw new CpeError(CpeErrorCode.Broken, `CPE ${cpe.serial} came back broken and cannot be lent.`);
      await this.subscriptions.lockActiveSubscription(em, subscriptionId);
      await em.getRepository(CpeLoan).insert({ cpeId, subscriptionId, assignedAt: this.clock.now(), assignedBy: actor.id });
      cpe.status = 'assigned';
      await em.getRepository(Cpe).update(cpeId, { status: cpe.status });
      return (await this.inventory.views(em, [cpe]))[0];
    });
  }

  async takeBack(cpeId: string, condition: ReturnCondition, actor: Actor): Promise<CpeView> {
    return this.dataSource.transaction(async (em) => {
      const cpe = await this.inventory.find(em, cpeId, true);
      const loan = await em.getRepository(CpeLoan).findOneBy({ cpeId, returnedAt: IsNull() });
      if (cpe.status !== 'assigned' || !loan) throw new CpeError(CpeErrorCode.NotAssigned, `CPE ${cpe.serial} is not lent out (${cpe.status}).`);
      await em.getRepository(CpeLoan).update(loan.id, { returnedAt: this.clock.now(), returnedBy: actor.id, returnCondition: condition });
      cpe.status = condition === 'ok' ? 'in_stock' : 'broken';
      await em.getRepository(Cpe).update(cpeId, { status: cpe.status });
      return (await this.inventory.views(em, [cpe]))[0];
    });
  }

  async history(cpeId: string, page: Pagination): Promise<Page<LoanView>> {
    const [loans, total] = await this.dataSource.getRepository(CpeLoan).findAndCount({
      where: { cpeId },
      order: { assignedAt: 'DESC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    // A device never lent has no history: only then is it worth asking whether it exists (404).
    if (total === 0) await this.inventory.find(this.dataSource.manager, cpeId);
    return { items: loans.map(toLoanView), total, ...page };
  }

  /** The devices lent now to any of these subscriptions (a member's page shows what they hold). */
  async lentTo(subscriptionIds: string[]): Promise<CpeView[]> {
    if (subscriptionIds.length === 0) return [];
    const loans = await this.dataSource.getRepository(CpeLoan).find({ where: { subscriptionId: In(subscriptionIds), returnedAt: IsNull() }, order: { assignedAt: 'ASC', id: 'ASC' } });
    const cpes = loans.length ? await this.dataSource.getRepository(Cpe).findBy({ id: In(loans.map((loan) => loan.cpeId)) }) : [];
    return this.inventory.views(this.dataSource.manager, cpes);
  }

  /** Devices still out whose subscription has ended, oldest first. */
  async toCollect(page: Pagination): Promise<Page<CpeToCollectView>> {
    const [loans, total] = await this.dataSource.getRepository(CpeLoan).findAndCount({
      where: { returnedAt: IsNull(), subscriptionEndedAt: Not(IsNull()) },
      order: { subscriptionEndedAt: 'ASC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    const cpes = loans.length ? await this.dataSource.getRepository(Cpe).findBy({ id: In(loans.map((loan) => loan.cpeId)) }) : [];
    const views = await this.inventory.views(this.dataSource.manager, cpes);
    const items = loans.map((loan) => ({ ...(views.find((v) => v.id === loan.cpeId) as CpeView), subscriptionEndedAt: (loan.subscriptionEndedAt as Date).toISOString() }));
    return { items, total, ...page };
  }

  private async markToCollect(em: EntityManager, subscriptionId: string, at: Date): Promise<void> {
    await em.getRepository(CpeLoan).update({ subscriptionId, returnedAt: IsNull() }, { subscriptionEndedAt: at });
  }
}

function toLoanView(loan: CpeLoan): LoanView {
  return {
    subscriptionId: loan.subscriptionId,
    assignedAt: loan.assignedAt.toISOString(),
    returnedAt: loan.returnedAt?.toISOString() ?? null,
    condition: loan.returnCondition,
    subscriptionEndedAt: loan.subscriptionEndedAt?.toISOString() ?? null,
  };
}
