import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Job, Queue } from 'bullmq';
import { Webhook } from 'standardwebhooks';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { Clock, SystemClock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AfterCommit } from '../database/after-commit';
import { JobRegistry } from '../queue/job-registry';
import { ChangeRow, findChange, markDelivered, markDeliveryFailed, pendingBefore } from './provisioning.store';
import { webhookMessage } from './webhook-message';

/** How often a worker looks for changes whose webhook job was lost, and how old such a change must be. */
export const WEBHOOK_SWEEP_EVERY_MS = 60_000;
const SWEEP_GRACE_MS = 60_000;
const SWEEP_BATCH = 500;

const WebhookJob = z.object({ seq: z.string().regex(/^[1-9]\d*$/) }).strict();

/**
 * One webhook per change, sent by a BullMQ job with retries and exponential backoff. The job is added
 * only once the transaction that recorded the change has committed (AfterCommit), so it never runs
 * before its row is visible; a rolled-back transaction adds
 * none. A job lost in between (the process stopped, the queue was unreachable) is added again by a
 * periodic sweep of the changes still pending. Jobs are named after the change (`change-<seq>`), so
 * that both paths add one job, and carry the sequence number only.
 */
@Injectable()
export class WebhookDeliveries {
  private readonly logger = new Logger('Webhooks');
  // The receiver checks webhook-timestamp against its own clock: it is the wall time of the attempt.
  private readonly wallClock = new SystemClock();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly afterCommits: AfterCommit,
    @InjectQueue('provisioning') private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    jobs: JobRegistry,
  ) {
    jobs.register('provisioning', 'webhook', WebhookJob, (payload, job) => this.deliver(payload.seq, job));
    jobs.register('provisioning', 'webhook-sweep', z.object({}).passthrough(), () => this.sweep());
    if (config.webhook) jobs.schedule(queue, 'webhook-sweep', WEBHOOK_SWEEP_EVERY_MS, { removeOnComplete: true, removeOnFail: 100 });
  }

  /** Called by recordChange inside the caller's transaction. */
  afterCommit(em: EntityManager, seq: string): void {
    if (!this.config.webhook) return;
    const runner = em.queryRunner;
    if (!runner?.isTransactionActive) throw new Error('a provisioning change is recorded inside a transaction');
    this.afterCommits.run(em, () =>
      void this.enqueue([seq]).catch((error: Error) => this.logger.warn({ error: error.message, count: 1 }, 'cannot queue webhooks now; the sweep will')),
    );
  }

  async deliver(seq: string, job: Pick<Job, 'attemptsStarted' | 'opts'>): Promise<void> {
    const change = await findChange(this.dataSource.manager, seq);
    if (!change || change.delivered_at || change.delivery_failed_at) return;
    try {
      await this.send(change);
    } catch (error) {
      if (job.attemptsStarted >= (job.opts.attempts ?? 1)) {
        await markDeliveryFailed(this.dataSource.manager, seq, this.clock.now());
        this.logger.warn({ seq, attempts: job.attemptsStarted }, 'webhook not delivered after its last attempt; routers reconcile through the change feed');
      }
      throw error;
    }
    await markDelivered(this.dataSource.manager, seq, this.clock.now());
  }

  async sweep(): Promise<number> {
    if (!this.config.webhook) return 0;
    const seqs = await pendingBefore(this.dataSource.manager, new Date(this.clock.now().getTime() - SWEEP_GRACE_MS), SWEEP_BATCH);
    if (seqs.length > 0) await this.enqueue(seqs);
    return seqs.length;
  }

  private async send(change: ChangeRow): Promise<void> {
    const webhook = this.config.webhook as NonNullable<AppConfig['webhook']>;
    const message = webhookMessage({ seq: change.seq, kind: change.kind, subscriptionId: change.subscription_id, details: change.details, at: change.at });
    const timestamp = this.wallClock.now();
    const response = await fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
        'webhook-signature': new Webhook(webhook.secret).sign(message.id, timestamp, message.body),
      },
      body: message.body,
      redirect: 'error',
      signal: AbortSignal.timeout(webhook.timeoutMs),
    });
    await response.body?.cancel();
    if (!response.ok) throw new Error(`the webhook receiver answered ${response.status}`);
  }

  private async enqueue(seqs: string[]): Promise<void> {
    const webhook = this.config.webhook as NonNullable<AppConfig['webhook']>;
    await this.queue.addBulk(
      seqs.map((seq) => ({
        name: 'webhook',
        data: { seq },
        opts: {
          jobId: `change-${seq}`,
          attempts: webhook.attempts,
          backoff: { type: 'exponential', delay: webhook.backoffMs },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      })),
    );
  }

}
