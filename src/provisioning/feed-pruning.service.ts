import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { JobRegistry } from '../queue/job-registry';
import { pruneBefore } from './provisioning.store';

const DAY_MS = 24 * 3600 * 1000;
/** Hourly, so that a change leaves the feed within the hour after its last day. */
export const PRUNE_FEED_EVERY_MS = 3600 * 1000;

/**
 * The feed holds prefixes and addresses next to subscription ids, which is IP history: it is kept
 * only as long as a router may need it to catch up (LANTERNE_PROVISIONING_FEED_DAYS), not for as long
 * as the assignments themselves.
 */
@Injectable()
export class FeedPruning {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    @InjectQueue('provisioning') queue: Queue,
    jobs: JobRegistry,
  ) {
    jobs.register('provisioning', 'prune-feed', z.object({}).passthrough(), () => this.prune());
    jobs.schedule(queue, 'prune-feed', PRUNE_FEED_EVERY_MS, { removeOnComplete: true, removeOnFail: 100 });
  }

  /** Deletes the changes older than the feed's retention; answers how many. */
  prune(): Promise<number> {
    return this.dataSource.transaction((em) => pruneBefore(em, new Date(this.clock.now().getTime() - this.config.provisioningFeedDays * DAY_MS)));
  }
}
