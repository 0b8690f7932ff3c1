import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { ProvisioningChange } from './provisioning-change';
import { ChangeFeedQuery, ChangeFeedView } from './provisioning.schemas';
import { ProvisioningError, ProvisioningErrorCode } from './provisioning.errors';
import { changesSince, insertChange, prunedThrough } from './provisioning.store';
import { WebhookDeliveries } from './webhook-deliveries.service';

/** The change feed the routers follow, and the webhooks that tell them as it happens. */
@Injectable()
export class ProvisioningService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly webhooks: WebhookDeliveries,
  ) {}

  /**
   * Appends to the feed in the caller's transaction; the webhook goes out once it commits. It takes
   * the feed's lock until that commit (provisioning.store.ts): call it last in the transaction, after
   * the rows it reports are written and locked, so that no lock is taken while holding it.
   */
  async recordChange(em: EntityManager, change: ProvisioningChange): Promise<void> {
    const seq = await insertChange(em, change, this.clock.now());
    this.webhooks.afterCommit(em, seq);
  }

  /** Changes after `since`; a cursor from before the pruned part of the feed may have missed some, and is refused. */
  async changes(query: ChangeFeedQuery): Promise<ChangeFeedView> {
    const horizon = await prunedThrough(this.dataSource.manager);
    if (query.since < horizon) {
      throw new ProvisioningError(
        ProvisioningErrorCode.FeedHorizonPassed,
        `Changes up to ${horizon} have left the feed: resynchronise from a full export, then follow from since=${horizon}.`,
        { prunedThrough: horizon },
      );
    }
    const rows = await changesSince(this.dataSource.manager, query.since, query.limit);
    const items = rows.map((row) => ({ seq: Number(row.seq), kind: row.kind, subscriptionId: row.subscription_id, details: row.details, at: row.at.toISOString() }));
    return { items, next: items.at(-1)?.seq ?? query.since };
  }
}
