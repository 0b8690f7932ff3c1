import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager, EntitySubscriberInterface, QueryRunner, TransactionCommitEvent, TransactionRollbackEvent } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';

/**
 * Adds a message's send job once the row it reads is visible: right away outside a transaction,
 * after the outermost commit inside one (a job running before the commit would not find its row).
 * TypeORM tells its subscribers of every commit and rollback, savepoints included, with the query
 * runner they happened on; the ids wait there. A process stopping between the commit and the add
 * loses nothing: the sweep (OutboxSender) adds the job of any message still queued.
 *
 * The job id is the message id, so adding twice runs once, and the payload is that id alone.
 */
@Injectable()
export class OutboxDispatcher implements EntitySubscriberInterface {
  private readonly logger = new Logger('Outbox');
  private readonly pending = new WeakMap<QueryRunner, string[]>();

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @InjectQueue('outbox') private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    dataSource.subscribers.push(this);
  }

  /**
   * Call once the message's row is written through `em`. Adding is never awaited: the caller's answer
   * does not wait on the queue (a Redis away would hold it), and the sweep makes good a lost add.
   */
  afterCommitOf(em: EntityManager, messageId: string): void {
    const runner = em.queryRunner;
    if (!runner?.isTransactionActive) {
      void this.add([messageId]);
      return;
    }
    const ids = this.pending.get(runner) ?? [];
    ids.push(messageId);
    this.pending.set(runner, ids);
  }

  afterTransactionCommit(event: TransactionCommitEvent): void {
    // A released savepoint is not a commit yet: the outer transaction may still roll back.
    if (event.queryRunner.isTransactionActive) return;
    const ids = this.pending.get(event.queryRunner);
    this.pending.delete(event.queryRunner);
    if (ids) void this.add(ids);
  }

  afterTransactionRollback(event: TransactionRollbackEvent): void {
    // Ids from a savepoint rolled back inside a transaction that commits stay: their job finds no row and ends.
    if (!event.queryRunner.isTransactionActive) this.pending.delete(event.queryRunner);
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
