import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

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

/**
 * The handlers of SUBSCRIPTION_END_HANDLERS, registered by their contexts at module init. Start-up
 * fails if one is registered twice or not at all, so ending a subscription never silently skips
 * what another context holds.
 */
@Injectable()
export class SubscriptionEndHandlers implements OnApplicationBootstrap {
  private readonly handlers = new Map<SubscriptionEndHandlerName, SubscriptionEndHandler>();

  register(name: SubscriptionEndHandlerName, handle: SubscriptionEndHandler): void {
    if (this.handlers.has(name)) throw new Error(`Subscription-end handler ${name} is registered twice`);
    this.handlers.set(name, handle);
  }

  missingHandlers(): SubscriptionEndHandlerName[] {
    return SUBSCRIPTION_END_HANDLERS.filter((name) => !this.handlers.has(name));
  }

  onApplicationBootstrap(): void {
    const missing = this.missingHandlers();
    if (missing.length > 0) throw new Error(`Subscription-end handlers not registered: ${missing.join(', ')}`);
  }

  async run(em: EntityManager, subscriptionId: string, at: Date): Promise<void> {
    for (const name of SUBSCRIPTION_END_HANDLERS) {
      const handle = this.handlers.get(name);
      if (!handle) throw new Error(`Subscription-end handler ${name} is not registered`);
      await handle(em, subscriptionId, at);
    }
  }
}
