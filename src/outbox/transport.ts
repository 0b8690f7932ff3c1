import { OutboxMessageKind, RenderedMessage } from './outbox-message';

/** One message on its way out: the row's ids and times, and what its renderer made of it just now. */
export interface OutgoingMessage {
  messageId: string;
  kind: OutboxMessageKind;
  createdAt: Date;
  rendered: RenderedMessage;
}

/** Hands a message to whatever carries it; throws (ideally a `TransportError`) when it did not go. */
export interface Transport {
  /** Names the transport in logs: `log`, `file`, `sms-gateway`, `webhook`, `smtp`. */
  readonly name: string;
  send(message: OutgoingMessage): Promise<void>;
}

/**
 * A try that did not go out, with a reason fit for a log line and for the technician's list: an HTTP
 * status, an SMTP reply code, a system error code. Never the address, the body or a provider's text.
 */
export class TransportError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'TransportError';
  }
}
