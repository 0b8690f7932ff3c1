import type { EntityManager } from 'typeorm';
import { AssignmentReleaseHandlers, ReleasedAssignment } from './assignment-release-handlers';

// The handlers below never touch it: the registry only passes the caller's transaction along.
const em = {} as EntityManager;
const released: ReleasedAssignment = { id: 'a-1', subscriptionId: 'sub-1', poolPrefix: '192.0.2.0/24', prefix: '192.0.2.5/32' };

describe('AssignmentReleaseHandlers', () => {
  it('passes the transaction, the released block and the instant to each handler', async () => {
    const registry = new AssignmentReleaseHandlers();
    const seen: unknown[] = [];
    registry.register('dns.clear-reverse-names', async (given, block, at) => {
      seen.push([given, block, at.toISOString()]);
    });
    registry.onApplicationBootstrap();
    await registry.run(em, released, new Date('2026-06-01T00:00:00Z'));
    expect(seen).toEqual([[em, released, '2026-06-01T00:00:00.000Z']]);
  });

  it('refuses a second handler under one name', () => {
    const registry = new AssignmentReleaseHandlers();
    registry.register('dns.clear-reverse-names', async () => undefined);
    expect(() => registry.register('dns.clear-reverse-names', async () => undefined)).toThrow('Assignment-release handler dns.clear-reverse-names is registered twice');
  });

  it('refuses to start while a handler of the list is missing', () => {
    const registry = new AssignmentReleaseHandlers();
    expect(registry.missingHandlers()).toEqual(['dns.clear-reverse-names']);
    expect(() => registry.onApplicationBootstrap()).toThrow('Assignment-release handlers not registered: dns.clear-reverse-names');
  });
});
