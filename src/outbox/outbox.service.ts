import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { LetterContent, OutboxRequest } from './outbox-message';

export interface QueuedMessage {
  messageId: string;
}

/** Outgoing SMS, letters and e-mails, sent by queued jobs through the configured transports. */
@Injectable()
export class OutboxService {
  /**
   * Records the message in the caller's transaction; it is sent once that transaction commits, with
   * retries, and a failure stays visible (`messageStatus`), never losing what asked for it.
   */
  async enqueue(em: EntityManager, request: OutboxRequest): Promise<QueuedMessage> {
    void em;
    void request;
    throw new Error('outbox: enqueue is not implemented yet');
  }

  /** A4 pages, one per letter, in the letters' order: what a volunteer prints and posts. */
  async renderLetters(letters: readonly (LetterContent & { language: 'fr' | 'en' })[]): Promise<Buffer> {
    void letters;
    throw new Error('outbox: renderLetters is not implemented yet');
  }
}
