import { Logger } from '@nestjs/common';
import { OutgoingMessage, Transport } from '../transport';

/** Says that a message went out and on which channel; never its address nor its content. */
export class LogTransport implements Transport {
  readonly name = 'log';
  private readonly logger = new Logger('Outbox');

  async send(message: OutgoingMessage): Promise<void> {
    this.logger.log({ messageId: message.messageId, kind: message.kind, channel: message.rendered.channel }, 'message sent (log transport: not delivered)');
  }
}
