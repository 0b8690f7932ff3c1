import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Queue } from 'bullmq';
import { z } from 'zod';
import { APP_CONFIG, AppConfig } from '../config/config';
import { JobRegistry } from '../queue/job-registry';
import { CheckpointService } from './checkpoint.service';

/** How often a worker makes sure the log's latest size is signed. */
export const CHECKPOINT_SWEEP_EVERY_MS = 60_000;

/**
 * The net under the checkpoints that appends sign: one whose process stopped before its interval was
 * over (or whose signing failed) is signed by the next sweep, so the public checkpoint trails the log by
 * at most a sweep period.
 */
@Injectable()
export class CheckpointSweep implements OnModuleInit {
  constructor(
    @InjectQueue('ledger') private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    checkpoints: CheckpointService,
    jobs: JobRegistry,
  ) {
    jobs.register('ledger', 'checkpoint', z.object({}).passthrough(), () => checkpoints.issueIfBehind());
  }

  async onModuleInit(): Promise<void> {
    if (this.config.role === 'api') return;
    await this.queue.upsertJobScheduler(
      'checkpoint',
      { every: CHECKPOINT_SWEEP_EVERY_MS },
      { name: 'checkpoint', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
}
