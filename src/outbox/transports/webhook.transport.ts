import { OutgoingMessage, Transport } from '../transport';
import { requestJson } from './http';

/**
 * SMS through any other provider, behind a webhook: `POST <url>` with `Authorization: Bearer <token>`,
 * `Idempotency-Key: <message id>` (the same on every try of one message) and `{to, body}` in JSON.
 * Any 2xx answer is a sent message.
 */
export class WebhookSmsTransport implements Transport {
  readonly name = 'webhook';

  constructor(private readonly settings: { url: string; token: string }) {}

  async send(message: OutgoingMessage): Promise<void> {
    const { to, body } = message.rendered;
    await requestJson('POST', this.settings.url, { to, body }, { authorization: `Bearer ${this.settings.token}`, 'idempotency-key': message.messageId });
  }
}
