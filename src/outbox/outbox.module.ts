import { Module } from '@nestjs/common';
import { MessageRenderers } from './message-renderers';
import { OutboxController } from './outbox.controller';
import { OutboxDispatcher } from './outbox-dispatcher';
import { OutboxSender } from './outbox-sender.service';
import { OutboxTransports } from './outbox-transports';
import { OutboxService } from './outbox.service';

/** Outgoing messages as queued jobs with transports; contexts register how their messages render. */
@Module({
  controllers: [OutboxController],
  providers: [OutboxService, MessageRenderers, OutboxDispatcher, OutboxSender, OutboxTransports],
  exports: [OutboxService, MessageRenderers],
})
export class OutboxModule {}
