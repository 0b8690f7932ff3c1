import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job, Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Clock } from '../common/clock';
import { JobRegistry } from '../queue/job-registry';
import { failureReason } from './failure-reason';
import { MessageRenderers } from './message-renderers';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxTransports } from './outbox-transports';
import { findMessage, markDropped, markSent, queuedBefore, recordFailure } from './outbox.store';

/** How often a worker looks for queued messages without a job. */
export const OUTBOX_SWEEP_EVERY_MS = 30_000;
/** A message queued for longer than this without being sent may have lost its job: it is added again. */
export const OUTBOX_SWEEP_AFTER_MS = 10_000;
const SWEEP_BATCH = 500;

const SendPayload = z.object({ messageId: z.uuid() }).strict();

/** The worker side of the outbox: renders each message at send time and hands it to its channel's transport. */
@Injectable()
export class OutboxSender {
  private readonly logger = new Logger('Outbox');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue('outbox') queue: Queue,
    private readonly renderers: MessageRenderers,
    private readonly transports: OutboxTransports,
    private readonly dispatcher: OutboxDispatcher,
    private readonly clock: Clock,
    jobs: JobRegistry,
  ) {
    jobs.register('outbox', 'send', SendPayload, ({ messageId }, job) => this.send(messageId, job));
    jobs.register('outbox', 'sweep', z.object({}).passthrough(), () => this.sweep());
    jobs.schedule(queue, 'sweep', OUTBOX_SWEEP_EVERY_MS, { removeOnComplete: true, removeOnFail: 100 });
  }

  /**
   * One try. A message no longer queued (sent, failed, dropped, or whose transaction rolled back) is
   * left alone, so a job added twice sends once. A failed try throws for BullMQ to retry; the last one
   * records the message as failed, with a reason and never the address or the body.
   */
  async send(messageId: string, job: Pick<Job, 'attemptsMade' | 'opts'>): Promise<void> {
    const em = this.dataSource.manager;
    const message = await findMessage(em, messageId);
    if (message?.status !== 'queued') return;
    try {
      const rendered = await this.renderers.render(message.kind, message.ref);
      if (!rendered) {
        await markDropped(em, messageId, this.clock.now());
        this.logger.log({ messageId, kind: message.kind, channel: message.channel }, 'message dropped: nothing to send any more');
        return;
      }
      await this.transports.send(message.channel, { messageId, kind: message.kind, createdAt: message.created_at, rendered });
    } catch (error) {
      const reason = failureReason(error);
      const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      await recordFailure(em, messageId, reason, last ? this.clock.now() : null);
      this.logger.warn({ messageId, kind: message.kind, channel: message.channel, reason, attempt: job.attemptsMade + 1 }, last ? 'message failed' : 'message not sent; will retry');
      // What BullMQ stores and logs of the failure: the reason only.
      throw new Error(reason);
    }
    await markSent(em, messageId, this.clock.now());
  }

  /** Adds again the job of every message queued for a while; a message whose job exists keeps it. */
  async sweep(): Promise<number> {
    const ids = await queuedBefore(this.dataSource.manager, new Date(this.clock.now().getTime() - OUTBOX_SWEEP_AFTER_MS), SWEEP_BATCH);
    if (ids.length > 0) await this.dispatcher.add(ids);
    return ids.length;
  }
}
