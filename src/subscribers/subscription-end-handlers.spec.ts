import type { EntityManager } from 'typeorm';
import { SUBSCRIPTION_END_HANDLERS, SubscriptionEndHandlers } from './subscription-end-handlers';

// The handlers below never touch it: the registry only passes the caller's transaction along.
const em = {} as EntityManager;

describe('SubscriptionEndHandlers', () => {
  it('runs every handler in the order of the list, whatever the order of registration', async () => {
    const registry = new SubscriptionEndHandlers();
    const ran: string[] = [];
    for (const name of [...SUBSCRIPTION_END_HANDLERS].reverse()) {
      registry.register(name, async (given, subscriptionId, at) => {
        expect(given).toBe(em);
        ran.push(`${name} ${subscriptionId} ${at.toISOString()}`);
      });
    }
    registry.onApplicationBootstrap();
    await registry.run(em, 'sub-1', new Date('2026-06-01T00:00:00Z'));
    expect(ran).toEqual(SUBSCRIPTION_END_HANDLERS.map((name) => `${name} sub-1 2026-06-01T00:00:00.000Z`));
  });

  it('refuses a second handler under one name', () => {
    const registry = new SubscriptionEndHandlers();
    registry.register('cpe.mark-to-collect', async () => undefined);
    expect(() => registry.register('cpe.mark-to-collect', async () => undefined)).toThrow('Subscription-end handler cpe.mark-to-collect is registered twice');
  });

  it('refuses to start while a handler of the list is missing', () => {
    const registry = new SubscriptionEndHandlers();
    registry.register('cpe.mark-to-collect', async () => undefined);
    expect(registry.missingHandlers()).toEqual(['ipam.release-assignments']);
    expect(() => registry.onApplicationBootstrap()).toThrow('Subscription-end handlers not registered: ipam.release-assignments');
  });
});
