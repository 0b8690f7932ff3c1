import { createTransport, Transporter } from 'nodemailer';
import { OutgoingMessage, Transport, TransportError } from '../transport';

/** E-mail over SMTP (`smtp://` or `smtps://user:password@host:port`), as plain text. */
export class SmtpTransport implements Transport {
  readonly name = 'smtp';
  private readonly transporter: Transporter;

  constructor(private readonly settings: { url: string; from: string }) {
    this.transporter = createTransport(settings.url);
  }

  async send(message: OutgoingMessage): Promise<void> {
    const { to, subject, body } = message.rendered;
    try {
      await this.transporter.sendMail({ from: this.settings.from, to, subject: subject ?? '', text: body, messageId: `<${message.messageId}@lanterne>` });
    } catch (error) {
      // nodemailer's messages quote the server's reply, which may name the recipient: keep the codes.
      const { responseCode, code } = error as { responseCode?: number; code?: string };
      throw new TransportError(responseCode ? `SMTP ${responseCode}` : `SMTP ${code ?? 'error'}`);
    }
  }
}
