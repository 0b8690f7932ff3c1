import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { iso } from '../common/schemas';
import { PG_DEADLOCK_DETECTED, PG_EXCLUSION_VIOLATION, pgErrorCode } from '../common/database-errors';
import type { ProvisioningChange } from '../provisioning/provisioning-change';
import { ProvisioningService } from '../provisioning/provisioning.service';
import { SubscriptionsService } from '../subscribers/subscriptions.service';
import { validateRequestedPrefix } from './cidr';
import { IpAssignment } from './ip-assignment.entity';
import { IpPoolsService, PoolRecord } from './ip-pools.service';
import { invalidField, IpamError, IpamErrorCode } from './ipam.errors';
import { AssignInput, AssignmentView } from './ipam.schemas';
import { findLowestFreeBlock, latestHolderOf } from './ipam.store';

/** Losing a race to a writer that does not queue on the pool (an import, hand-written SQL) is retried. */
const MAX_ATTEMPTS = 8;

/** Hands out blocks: the lowest free one, or one a technician asks for. */
@Injectable()
export class IpAllocationService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly pools: IpPoolsService,
    private readonly subscriptions: SubscriptionsService,
    private readonly provisioning: ProvisioningService,
  ) {}

  async assign(subscriptionId: string, input: AssignInput): Promise<AssignmentView> {
    const now = this.clock.now();
    const validFrom = input.validFrom ?? now;
    if (validFrom > now) throw new IpamError(IpamErrorCode.DateInFuture, `validFrom ${validFrom.toISOString()} is in the future; assign once it starts.`);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction((em) => this.assignOnce(em, subscriptionId, input, validFrom));
      } catch (error) {
        // The exclusion constraint refused the block (another transaction took it since we looked),
        // or that writer and we waited on each other: look again with a fresh snapshot.
        const lostRace = pgErrorCode(error) === PG_EXCLUSION_VIOLATION || pgErrorCode(error) === PG_DEADLOCK_DETECTED;
        if (!lostRace || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  private async assignOnce(em: EntityManager, subscriptionId: string, input: AssignInput, validFrom: Date): Promise<AssignmentView> {
    const subscription = await this.subscriptions.lockActiveSubscription(em, subscriptionId);
    if (validFrom < subscription.startsAt) {
      throw new IpamError(IpamErrorCode.BeforeSubscriptionStart, `validFrom ${validFrom.toISOString()} is before the subscription starts (${subscription.startsAt.toISOString()}).`);
    }
    const pool = await this.pools.lockForAllocation(em, input.poolId);
    const prefix = input.prefix === undefined ? await this.lowestFree(em, pool, validFrom) : await this.requested(em, pool, input.prefix, validFrom);
    const saved = await em.getRepository(IpAssignment).save({
      poolId: pool.id,
      poolPrefix: pool.pool.prefix.text,
      assignLength: pool.pool.assignLength,
      subscriptionId,
      prefix,
      validFrom,
      validUntil: null,
      quarantineUntil: null,
    });
    await this.provisioning.recordChange(em, assignmentCreated(saved));
    return toAssignmentView(saved);
  }

  private async lowestFree(em: EntityManager, pool: PoolRecord, validFrom: Date): Promise<string> {
    const prefix = await findLowestFreeBlock(em, pool, validFrom);
    if (prefix !== null) return prefix;
    const usage = await this.pools.usage(em, pool);
    const since = validFrom < this.clock.now() ? ` since ${validFrom.toISOString()}` : '';
    throw new IpamError(IpamErrorCode.PoolExhausted, `Pool "${pool.name}" (${pool.pool.prefix.text}) has no free /${pool.pool.assignLength} block${since}.`, {
      poolId: pool.id,
      ...usage,
    });
  }

  /** The block asked for, if it is one of the pool's and nobody holds it (nor its quarantine) from validFrom on. */
  private async requested(em: EntityManager, pool: PoolRecord, text: string, validFrom: Date): Promise<string> {
    const check = validateRequestedPrefix(pool.pool, text);
    if (!check.ok) throw invalidField(IpamErrorCode.InvalidPrefix, 'prefix', check.reason);
    const prefix = check.prefix.text;
    const holder = await latestHolderOf(em, pool, prefix, validFrom);
    if (!holder) return prefix;
    if (holder.valid_until === null || holder.valid_until > validFrom) {
      const until = holder.valid_until ? ` until ${holder.valid_until.toISOString()}` : '';
      throw new IpamError(IpamErrorCode.PrefixTaken, `${prefix} is assigned from ${holder.valid_from.toISOString()}${until}.`, { prefix });
    }
    throw new IpamError(IpamErrorCode.PrefixInQuarantine, `${prefix} is in quarantine until ${holder.quarantine_until?.toISOString()}.`, {
      prefix,
      quarantineUntil: holder.quarantine_until?.toISOString(),
    });
  }
}

/** What routers learn of a new current assignment. */
export function assignmentCreated(a: Pick<IpAssignment, 'id' | 'subscriptionId' | 'poolId' | 'prefix'>): ProvisioningChange {
  return { kind: 'assignment.created', subscriptionId: a.subscriptionId, details: { assignmentId: a.id, poolId: a.poolId, prefix: a.prefix } };
}

export function toAssignmentView(a: IpAssignment): AssignmentView {
  return {
    id: a.id,
    subscriptionId: a.subscriptionId,
    poolId: a.poolId,
    prefix: a.prefix,
    validFrom: a.validFrom.toISOString(),
    validUntil: iso(a.validUntil),
    quarantineUntil: iso(a.quarantineUntil),
  };
}
