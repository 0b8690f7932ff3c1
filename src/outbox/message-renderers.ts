import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { NamedRegistry } from '../common/named-registry';
import { MessageRenderer, OUTBOX_MESSAGE_KINDS, OutboxMessageKind, RenderedMessage } from './outbox-message';

/** One renderer per message kind, registered by the context that owns the message's content. */
@Injectable()
export class MessageRenderers implements OnApplicationBootstrap {
  readonly registry = new NamedRegistry<OutboxMessageKind, MessageRenderer>('Message renderer', OUTBOX_MESSAGE_KINDS);

  register(kind: OutboxMessageKind, render: MessageRenderer): void {
    this.registry.register(kind, render);
  }

  /** The message as it is to go out now, or `null` when it is no longer to be sent. */
  render(kind: OutboxMessageKind, ref: string): Promise<RenderedMessage | null> {
    return this.registry.get(kind)(ref);
  }

  onApplicationBootstrap(): void {
    this.registry.assertComplete();
  }
}
