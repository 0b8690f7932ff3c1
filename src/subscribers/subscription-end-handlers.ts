import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NamedRegistry } from '../common/named-registry';

/**
 * Everything that happens when a subscription ends, in the order it runs, inside the transaction
 * that ends it, so that the end and what it releases commit together. Each context that holds
 * something for a subscription registers its handler under its name here. Tunnel settings do not
 * react: they stay as they were, and an ended subscription's cannot change.
 */
export const SUBSCRIPTION_END_HANDLERS = [
  /** IPAM: the blocks it holds are released at the end, each into its pool's quarantine. */
  'ipam.release-assignments',
  /** CPE: a device still lent out joins the list of devices to collect. */
  'cpe.mark-to-collect',
] as const;

export type SubscriptionEndHandlerName = (typeof SUBSCRIPTION_END_HANDLERS)[number];
export type SubscriptionEndHandler = (em: EntityManager, subscriptionId: string, at: Date) => Promise<void>;

/** The handlers of SUBSCRIPTION_END_HANDLERS, registered by their contexts at module init. */
@Injectable()
export class SubscriptionEndHandlers implements OnApplicationBootstrap {
  private readonly registry = new NamedRegistry<SubscriptionEndHandlerName, SubscriptionEndHandler>('Subscription-end handler', SUBSCRIPTION_END_HANDLERS);

  register(name: SubscriptionEndHandlerName, handle: SubscriptionEndHandler): void {
    this.registry.register(name, handle);
  }

  missingHandlers(): SubscriptionEndHandlerName[] {
    return this.registry.missingHandlers();
  }

  onApplicationBootstrap(): void {
    this.registry.assertComplete();
  }

  async run(em: EntityManager, subscriptionId: string, at: Date): Promise<void> {
    for (const { handler } of this.registry.inOrder()) await handler(em, subscriptionId, at);
  }
}
