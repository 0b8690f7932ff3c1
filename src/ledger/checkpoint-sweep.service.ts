import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { z } from 'zod';
import { JobRegistry } from '../queue/job-registry';
import { CheckpointService } from './checkpoint.service';
import { Cosigning } from './cosigning.service';

/** How often a worker makes sure the log's latest size is signed. */
export const CHECKPOINT_SWEEP_EVERY_MS = 60_000;

/**
 * The net under the checkpoints that appends sign: one whose process stopped before its interval was
 * over (or whose signing failed) is signed by the next sweep, so the public checkpoint trails the log by
 * at most a sweep period. It also asks again the witnesses whose cosigning job gave up.
 */
@Injectable()
export class CheckpointSweep {
  constructor(@InjectQueue('ledger') queue: Queue, checkpoints: CheckpointService, cosigning: Cosigning, jobs: JobRegistry) {
    jobs.register('ledger', 'checkpoint', z.object({}).passthrough(), async () => {
      const issued = await checkpoints.issueIfBehind();
      if (!issued) await cosigning.requestIfMissing();
      return issued;
    });
    // Scheduled through the registry, so a Redis that restarts empty gets it back like the heartbeat.
    jobs.schedule(queue, 'checkpoint', CHECKPOINT_SWEEP_EVERY_MS, { removeOnComplete: true, removeOnFail: 100 });
  }
}
