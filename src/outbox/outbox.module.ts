import { Module } from '@nestjs/common';
import { MessageRenderers } from './message-renderers';
import { OutboxService } from './outbox.service';

/** Outgoing messages as queued jobs with transports; contexts register how their messages render. */
@Module({
  providers: [OutboxService, MessageRenderers],
  exports: [OutboxService, MessageRenderers],
})
export class OutboxModule {}
