import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Clock } from '../common/clock';
import { JobRegistry } from '../queue/job-registry';
import { openWithDeadline } from './consensus.store';

export const CLOSE_SWEEP_EVERY_MS = 60_000;

/**
 * `closesAt` as a delayed BullMQ job whose id is the proposal's id, so adding it twice schedules one
 * close. The sweep (at every worker start, then each minute) adds the job of every open proposal
 * with a deadline: a job lost with a process, a Redis emptied, or a proposal opened inside another
 * context's transaction all get theirs back. The close itself is idempotent.
 */
@Injectable()
export class ProposalCloser implements OnModuleInit {
  private readonly logger = new Logger('Consensus');

  constructor(
    @InjectQueue('consensus') private readonly queue: Queue,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobRegistry,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register('consensus', 'close-sweep', z.object({}), () => this.sweep());
    this.jobs.schedule(this.queue, 'close-sweep', CLOSE_SWEEP_EVERY_MS);
  }

  async scheduleClose(proposalId: string, closesAt: Date): Promise<void> {
    try {
      await this.queue.add('close', { proposalId }, this.options(proposalId, closesAt));
    } catch (error) {
      this.logger.warn({ proposalId, error: (error as Error).name }, 'cannot schedule the close yet; the sweep will');
    }
  }

  async sweep(): Promise<number> {
    const due = await openWithDeadline(this.dataSource.manager);
    await this.queue.addBulk(due.map(({ id, closesAt }) => ({ name: 'close', data: { proposalId: id }, opts: this.options(id, closesAt) })));
    return due.length;
  }

  private options(proposalId: string, closesAt: Date) {
    // Removed once done: re-adding a closed proposal's job would only find it closed.
    return { jobId: proposalId, delay: Math.max(0, closesAt.getTime() - this.clock.now().getTime()), attempts: 5, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: true, removeOnFail: true };
  }
}
