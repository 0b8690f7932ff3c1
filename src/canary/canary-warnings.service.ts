import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Clock } from '../common/clock';
import { CircleNotices } from '../consensus/circle-notices';
import { JobRegistry } from '../queue/job-registry';
import { dueWarnings } from './canary-lapse';
import { issuedCanaries, recordWarnings } from './canary.store';

export const LAPSE_WARNING_SWEEP_EVERY_MS = 60 * 60 * 1000;

/**
 * Tells the ccj circle, 14 and then 3 days before, that the current canary must be renewed. Each
 * threshold is a row keyed by (canary, days), inserted with the notices in one transaction: a
 * threshold is told once per canary whichever worker sweeps, and a sweep that comes late (both
 * thresholds reached) tells once. A superseded canary is never warned about.
 */
@Injectable()
export class CanaryWarnings implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue('canary') private readonly queue: Queue,
    private readonly jobs: JobRegistry,
    private readonly notices: CircleNotices,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register('canary', 'lapse-warnings', z.object({}).passthrough(), () => this.sweep());
    this.jobs.schedule(this.queue, 'lapse-warnings', LAPSE_WARNING_SWEEP_EVERY_MS, { removeOnComplete: true, removeOnFail: 100 });
  }

  /** Answers how many members were told. */
  async sweep(): Promise<number> {
    return this.dataSource.transaction(async (em) => {
      const [current] = (await issuedCanaries(em, 1, 0)).rows;
      if (!current) return 0;
      const now = this.clock.now();
      const due = dueWarnings(current.renew_by, now);
      if (due.length === 0 || (await recordWarnings(em, current.id, due, now)).length === 0) return 0;
      return this.notices.notify(em, 'ccj', 'canary-lapsing', { renewBy: current.renew_by.toISOString() });
    });
  }
}
