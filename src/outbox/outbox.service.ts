import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { LetterSender, renderLetterPdf } from './letter-pdf';
import { Language, LetterContent, OutboxRequest } from './outbox-message';
import { OutboxDispatcher } from './outbox-dispatcher';
import { Page } from '../common/pagination';
import { iso } from '../common/schemas';
import { ListMessagesQuery, OutboxMessageView } from './outbox.schemas';
import { findMessage, insertMessage, listMessages, OutboxMessageRow, OutboxStatus } from './outbox.store';

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

/** Letters are dated in the association's time zone. */
const TIME_ZONES: Record<AppConfig['jurisdiction'], string> = { be: 'Europe/Brussels', fr: 'Europe/Paris' };

/** Outgoing SMS, letters and e-mails, sent by queued jobs through the configured transports. */
@Injectable()
export class OutboxService {
  private readonly sender: LetterSender;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly dispatcher: OutboxDispatcher,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.sender = { ...config.association, jurisdiction: config.jurisdiction, timeZone: TIME_ZONES[config.jurisdiction] };
  }


  /**
   * Records the message in the caller's transaction; it is sent once that transaction commits, with
   * retries, and a failure stays visible (`messageStatus`), never losing what asked for it.
   */
  async enqueue(em: EntityManager, request: OutboxRequest): Promise<QueuedMessage> {
    const messageId = randomUUID();
    await insertMessage(em, { id: messageId, ...request, createdAt: this.clock.now() });
    this.dispatcher.afterCommitOf(em, messageId);
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

  /** What the technician sees of the messages: ids, status, tries and reasons, never an address or a content. */
  async listMessages(query: ListMessagesQuery): Promise<Page<OutboxMessageView>> {
    const { rows, total } = await listMessages(this.dataSource.manager, query);
    return { items: rows.map(view), total, limit: query.limit, offset: query.offset };
  }

  /**
   * A4 pages, one per letter, in the letters' order: what a volunteer prints, folds in three and posts
   * in a C5/DL window envelope. No letter: one page saying so.
   */
  renderLetters(letters: readonly (LetterContent & { language: Language })[]): Promise<Buffer> {
    return renderLetterPdf(letters, this.sender, this.clock.now());
  }
}

function view(row: OutboxMessageRow): OutboxMessageView {
  return {
    id: row.id,
    kind: row.kind,
    channel: row.channel,
    ref: row.ref,
    status: row.status,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: iso(row.created_at) as string,
    sentAt: iso(row.sent_at),
    failedAt: iso(row.failed_at),
    droppedAt: iso(row.dropped_at),
  };
}
