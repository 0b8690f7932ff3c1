import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { Language, LetterContent, OutboxRequest } from './outbox-message';
import { OutboxDispatcher } from './outbox-dispatcher';
import { findMessage, insertMessage, OutboxStatus } from './outbox.store';

export interface QueuedMessage {
  messageId: string;
}

/** How sending a message went, without anything of its content. */
export interface MessageStatus {
  status: OutboxStatus;
  attempts: number;
  /** Why the last try failed: an HTTP status, an SMTP code, a system error code. */
  lastError?: string;
  sentAt?: Date;
  failedAt?: Date;
}

/** Outgoing SMS, letters and e-mails, sent by queued jobs through the configured transports. */
@Injectable()
export class OutboxService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly dispatcher: OutboxDispatcher,
    private readonly clock: Clock,
  ) {}

  /**
   * Records the message in the caller's transaction; it is sent once that transaction commits, with
   * retries, and a failure stays visible (`messageStatus`), never losing what asked for it.
   */
  async enqueue(em: EntityManager, request: OutboxRequest): Promise<QueuedMessage> {
    const messageId = randomUUID();
    await insertMessage(em, { id: messageId, ...request, createdAt: this.clock.now() });
    await this.dispatcher.afterCommitOf(em, messageId);
    return { messageId };
  }

  /** `undefined` for an unknown id. */
  async messageStatus(messageId: string, em: EntityManager = this.dataSource.manager): Promise<MessageStatus | undefined> {
    const row = await findMessage(em, messageId);
    if (!row) return undefined;
    return {
      status: row.status,
      attempts: row.attempts,
      ...(row.last_error ? { lastError: row.last_error } : {}),
      ...(row.sent_at ? { sentAt: row.sent_at } : {}),
      ...(row.failed_at ? { failedAt: row.failed_at } : {}),
    };
  }

  /** A4 pages, one per letter, in the letters' order: what a volunteer prints and posts. */
  async renderLetters(letters: readonly (LetterContent & { language: Language })[]): Promise<Buffer> {
    void letters;
    throw new Error('outbox: renderLetters is not implemented yet');
  }
}
