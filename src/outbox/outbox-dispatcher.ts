import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AfterCommit } from '../database/after-commit';

/**
 * Adds a message's send job once the row it reads is visible (AfterCommit). A process stopping between
 * the commit and the add loses nothing: the sweep (OutboxSender) adds the job of any message still queued.
 *
 * The job id is the message id, so adding twice runs once, and the payload is that id alone.
 */
@Injectable()
export class OutboxDispatcher {
  private readonly logger = new Logger('Outbox');

  constructor(
    private readonly afterCommit: AfterCommit,
    @InjectQueue('outbox') private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Call once the message's row is written through `em`. Adding is never awaited: the caller's answer
   * does not wait on the queue (a Redis away would hold it), and the sweep makes good a lost add.
   */
  afterCommitOf(em: EntityManager, messageId: string): void {
    this.afterCommit.run(em, () => void this.add([messageId]));
  }
  /** Adds the send jobs; a failure is logged and left to the sweep. */
  async add(messageIds: readonly string[]): Promise<void> {
    const { attempts, backoffMs } = this.config.outbox;
    try {
      await this.queue.addBulk(
        messageIds.map((messageId) => ({
          name: 'send',
          data: { messageId },
          // Removed when done: a failure is recorded on the message, and the sweep re-adds only queued ones.
          opts: { jobId: messageId, attempts, backoff: { type: 'exponential', delay: backoffMs }, removeOnComplete: true, removeOnFail: true },
        })),
      );
    } catch (error) {
      this.logger.warn({ messages: messageIds.length, error: (error as Error).name }, 'cannot add send jobs yet; the sweep will');
    }
  }
}
