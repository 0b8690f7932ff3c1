import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, OutboxTransportSetting } from '../config/config';
import { OutboxChannel } from './outbox-message';
import { OutgoingMessage, Transport } from './transport';
import { FileTransport } from './transports/file.transport';
import { LogTransport } from './transports/log.transport';
import { SmsGatewayTransport } from './transports/sms-gateway.transport';
import { SmtpTransport } from './transports/smtp.transport';
import { WebhookSmsTransport } from './transports/webhook.transport';

/** The transport of each channel, as configured (`LANTERNE_OUTBOX`, `LANTERNE_OUTBOX_<CHANNEL>`). */
@Injectable()
export class OutboxTransports {
  private readonly byChannel: Record<OutboxChannel, Transport>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { transports } = config.outbox;
    this.byChannel = { sms: make(transports.sms), email: make(transports.email), postal: make(transports.postal) };
  }

  send(channel: OutboxChannel, message: OutgoingMessage): Promise<void> {
    return this.byChannel[channel].send(message);
  }
}

function make(setting: OutboxTransportSetting): Transport {
  switch (setting.kind) {
    case 'log':
      return new LogTransport();
    case 'file':
      return new FileTransport(setting.dir);
    case 'sms-gateway':
      return new SmsGatewayTransport(setting);
    case 'webhook':
      return new WebhookSmsTransport(setting);
    case 'smtp':
      return new SmtpTransport(setting);
  }
}
