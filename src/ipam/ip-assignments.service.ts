import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import type { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { findOrFail } from '../common/find-or-fail';
import { iso } from '../common/schemas';
import { Page, Pagination } from '../common/pagination';
import type { PurposeCategory } from '../ledger/ledger-entry';
import { LedgerService } from '../ledger/ledger.service';
import { ProvisioningService } from '../provisioning/provisioning.service';
import { SubscriptionEndHandlers } from '../subscribers/subscription-end-handlers';
import { SubscriptionsService } from '../subscribers/subscriptions.service';
import { AssignmentReleaseHandlers } from './assignment-release-handlers';
import { purgeCutoff, RetentionPurgers } from '../privacy/retention-purgers';
import { addressToPrefix } from './cidr';
import { toAssignmentView } from './ip-allocation.service';
import { IpAssignment } from './ip-assignment.entity';
import { invalidField, IpamError, IpamErrorCode } from './ipam.errors';
import { AssignmentReadQuery, AssignmentView, HolderView, LookupQuery, LookupView } from './ipam.schemas';
import { CurrentBlock, deleteEndedAssignments, findHolders, lockCurrentBlockCovering, LookupRow, releaseAssignment, releaseAssignmentsOf } from './ipam.store';

export interface HeldBlockView {
  subscriptionId: string;
  prefix: string;
  poolPrefix: string;
}

export interface PastLookup {
  actor: Actor;
  address: string;
  lookupAt: Date;
  purpose: string;
  purposeCategory: PurposeCategory;
  /** The holders; a lookup knows their subscriber already, a read of one assignment does not. */
  found: { id: string; subscriptionId: string; subscriberId?: string }[];
}

@Injectable()
export class IpAssignmentsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly subscriptions: SubscriptionsService,
    private readonly endHandlers: SubscriptionEndHandlers,
    private readonly ledger: LedgerService,
    private readonly releaseHandlers: AssignmentReleaseHandlers,
    private readonly provisioning: ProvisioningService,
    private readonly purgers: RetentionPurgers,
  ) {}

  /**
   * Ending a subscription releases its blocks into quarantine, in the same transaction. IP history
   * is purged by retention, counted from the end of each assignment (validUntil).
   */
  onModuleInit(): void {
    this.endHandlers.register('ipam.release-assignments', (em, subscriptionId, at) => this.releaseAllOf(em, subscriptionId, at));
    this.purgers.register('ip-history', async (request) => ({ count: await deleteEndedAssignments(request.em, purgeCutoff(request), request.now) }));
  }

  /** A current assignment is operational data; a released one is IP history: it needs a purpose and is recorded. */
  async getAssignment(actor: Actor, id: string, { purpose, purposeCategory }: AssignmentReadQuery): Promise<AssignmentView> {
    const assignment = await this.find(this.dataSource.manager, id);
    if (!assignment.validUntil) return toAssignmentView(assignment);
    if (!purpose) {
      throw invalidField(IpamErrorCode.PurposeRequired, 'purpose', 'this assignment has ended: reading IP history needs a purpose, which is recorded with who asked');
    }
    // An ended assignment no longer changes (a second release is refused): only the record needs a transaction.
    await this.dataSource.transaction((em) =>
      this.recordPastLookup(em, { actor, address: assignment.prefix, lookupAt: assignment.validFrom, purpose, purposeCategory, found: [assignment] }),
    );
    return toAssignmentView(assignment);
  }

  /** What a subscription holds now; its past assignments are reached through a purposed lookup. */
  async listCurrent(subscriptionId: string, page: Pagination): Promise<Page<AssignmentView>> {
    await this.subscriptions.getSubscription(subscriptionId);
    const [rows, total] = await this.dataSource.getRepository(IpAssignment).findAndCount({
      where: { subscriptionId, validUntil: IsNull() },
      order: { validFrom: 'ASC', id: 'ASC' },
      take: page.limit,
      skip: page.offset,
    });
    return { items: rows.map(toAssignmentView), total, ...page };
  }

  /**
   * The blocks held now, with the prefix of their pool, of one subscription or of all, oldest first:
   * what the tunnels route to each CPE (and what their router exports list).
   */
  async heldBlocks(subscriptionId?: string): Promise<HeldBlockView[]> {
    const rows = await this.dataSource.getRepository(IpAssignment).find({
      where: { validUntil: IsNull(), ...(subscriptionId === undefined ? {} : { subscriptionId }) },
      // cidr order puts IPv4 before IPv6, so blocks assigned together come in one order.
      order: { subscriptionId: 'ASC', validFrom: 'ASC', prefix: 'ASC' },
    });
    return rows.map((row) => ({ subscriptionId: row.subscriptionId, prefix: row.prefix, poolPrefix: row.poolPrefix }));
  }

  async release(id: string, at?: Date): Promise<AssignmentView> {
    const now = this.clock.now();
    const when = at ?? now;
    if (when > now) throw new IpamError(IpamErrorCode.DateInFuture, `${when.toISOString()} is in the future; release once it has happened.`);
    return this.dataSource.transaction(async (em) => {
      const assignment = await this.find(em, id, true);
      if (assignment.validUntil) {
        throw new IpamError(IpamErrorCode.AlreadyReleased, `Assignment ${id} (${assignment.prefix}) was released at ${assignment.validUntil.toISOString()}.`);
      }
      this.assertNotBeforeStart(assignment, when);
      const quarantineUntil = await releaseAssignment(em, id, when);
      await this.afterRelease(em, [assignment], when);
      return toAssignmentView({ ...assignment, validUntil: when, quarantineUntil });
    });
  }

  async releaseAllOf(em: EntityManager, subscriptionId: string, at: Date): Promise<void> {
    const current = await em.getRepository(IpAssignment).find({ where: { subscriptionId, validUntil: IsNull() }, lock: { mode: 'pessimistic_write' } });
    for (const assignment of current) this.assertNotBeforeStart(assignment, at);
    if (current.length === 0) return;
    await releaseAssignmentsOf(em, subscriptionId, at);
    await this.afterRelease(em, current, at);
  }

  /**
   * The block a subscription holds now that contains `address` (a host prefix), locked against its
   * release until the caller commits; undefined when it holds none.
   */
  lockCurrentBlockCovering(em: EntityManager, subscriptionId: string, address: string): Promise<CurrentBlock | undefined> {
    return lockCurrentBlockCovering(em, subscriptionId, address);
  }

  /** What hangs on the released blocks goes (release handlers), then the routers are told, last: recordChange queues writers of the feed. */
  private async afterRelease(em: EntityManager, released: IpAssignment[], at: Date): Promise<void> {
    for (const a of released) await this.releaseHandlers.run(em, { id: a.id, subscriptionId: a.subscriptionId, poolPrefix: a.poolPrefix, prefix: a.prefix }, at);
    for (const a of released) {
      await this.provisioning.recordChange(em, {
        kind: 'assignment.released',
        subscriptionId: a.subscriptionId,
        details: { assignmentId: a.id, prefix: a.prefix, validUntil: at.toISOString() },
      });
    }
  }

  /** "Who held this address at T": a past instant needs a purpose, checked before anything is read, and is recorded. */
  async lookup(actor: Actor, query: LookupQuery): Promise<LookupView> {
    const address = addressToPrefix(query.address);
    if (!address.ok) throw invalidField(IpamErrorCode.InvalidAddress, 'address', address.reason);
    const now = this.clock.now();
    const at = query.at ?? now;
    if (at > now) throw new IpamError(IpamErrorCode.DateInFuture, `${at.toISOString()} is in the future: nobody holds an address there yet.`);
    const past = at < now;
    if (past && !query.purpose) {
      throw invalidField(IpamErrorCode.PurposeRequired, 'purpose', 'a lookup of a past instant needs a purpose, which is recorded with who asked');
    }
    const rows = past
      ? await this.dataSource.transaction(async (em) => {
          const found = await findHolders(em, address.prefix.text, at);
          const holders = found.map((row) => ({ id: row.id, subscriptionId: row.subscription_id, subscriberId: row.subscriber_id }));
          await this.recordPastLookup(em, { actor, address: address.prefix.text, lookupAt: at, purpose: query.purpose as string, purposeCategory: query.purposeCategory, found: holders });
          return found;
        })
      : await findHolders(this.dataSource.manager, address.prefix.text, at);
    const items = rows.slice(query.offset, query.offset + query.limit).map(toLookupItem);
    return { address: address.prefix.text, at: at.toISOString(), items, total: rows.length, limit: query.limit, offset: query.offset };
  }

  /**
   * Who held `address` at the instant `at`, for another context's purposed read of IP history (a legal
   * request's disclosure), in the caller's transaction and recorded there as a lookup is. A purged
   * history has no holder; nor has an instant still to come (nothing is read for it, so nothing recorded).
   */
  async holderAt(em: EntityManager, read: Omit<PastLookup, 'found' | 'lookupAt'> & { at: Date }): Promise<{ assignmentId: string; subscriptionId: string; subscriberId: string } | null> {
    const address = addressToPrefix(read.address);
    if (!address.ok) throw invalidField(IpamErrorCode.InvalidAddress, 'address', address.reason);
    if (read.at > this.clock.now()) return null;
    const [holder] = await findHolders(em, address.prefix.text, read.at);
    const found = holder ? [{ id: holder.id, subscriptionId: holder.subscription_id, subscriberId: holder.subscriber_id }] : [];
    await this.recordPastLookup(em, { actor: read.actor, address: address.prefix.text, lookupAt: read.at, purpose: read.purpose, purposeCategory: read.purposeCategory, found });
    return holder ? { assignmentId: holder.id, subscriptionId: holder.subscription_id, subscriberId: holder.subscriber_id } : null;
  }

  /**
   * A read of IP history lands in the ledger, in the lookup's transaction: who asked, why, about which
   * instant; the address is personal data, so only its commitment enters the leaf. The subscriber
   * found is the entry's subject, so that they see the lookup in their own access log.
   */
  private async recordPastLookup(em: EntityManager, lookup: PastLookup): Promise<void> {
    const holder = lookup.found[0];
    const subscriberId = holder && (holder.subscriberId ?? (await this.subscriptions.getSubscription(holder.subscriptionId, em)).subscriberId);
    await this.ledger.record(em, {
      actor: lookup.actor,
      action: 'ip-history.looked-up',
      subject: subscriberId,
      purpose: lookup.purpose,
      purposeCategory: lookup.purposeCategory,
      refs: { at: lookup.lookupAt.toISOString(), assignments: lookup.found.map((row) => row.id) },
      personal: { address: lookup.address },
    });
  }

  private assertNotBeforeStart(assignment: IpAssignment, at: Date): void {
    if (at < assignment.validFrom) {
      throw new IpamError(
        IpamErrorCode.ReleaseBeforeStart,
        `${assignment.prefix} was assigned from ${assignment.validFrom.toISOString()}; it cannot be released at ${at.toISOString()}.`,
        { assignmentId: assignment.id },
      );
    }
  }

  private async find(em: EntityManager, id: string, forUpdate = false): Promise<IpAssignment> {
    return findOrFail(em, IpAssignment, id, () => new IpamError(IpamErrorCode.AssignmentNotFound, `No IP assignment ${id}.`), forUpdate ? 'pessimistic_write' : undefined);
  }
}

/** An assignment row as the API shows it: in a lookup, and (with its quarantine) in the member's export. */
export function toLookupItem(row: Omit<LookupRow, 'subscriber_id'>): HolderView {
  return {
    id: row.id,
    subscriptionId: row.subscription_id,
    poolId: row.pool_id,
    prefix: row.prefix,
    validFrom: row.valid_from.toISOString(),
    validUntil: iso(row.valid_until),
  };
}
