import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, OutboxTransportSetting } from '../config/config';
import { OutboxChannel } from './outbox-message';
import { OutgoingMessage, Transport } from './transport';
import { FileTransport } from './transports/file.transport';
import { LogTransport } from './transports/log.transport';

/** The transport of each channel, as configured (`LANTERNE_OUTBOX`, `LANTERNE_OUTBOX_<CHANNEL>`). */
@Injectable()
export class OutboxTransports {
  private readonly byChannel: Record<OutboxChannel, Transport>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const { transports } = config.outbox;
    this.byChannel = { sms: this.make(transports.sms), email: this.make(transports.email), postal: this.make(transports.postal) };
  }

  send(channel: OutboxChannel, message: OutgoingMessage): Promise<void> {
    return this.byChannel[channel].send(message);
  }

  private make(setting: OutboxTransportSetting): Transport {
    switch (setting.kind) {
      case 'log':
        return new LogTransport();
      case 'file':
        return new FileTransport(setting.dir);
      default:
        throw new Error(`outbox transport ${setting.kind} is not available yet`);
    }
  }
}
