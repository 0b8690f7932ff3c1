import { MEMBER_DATA_PART_NAMES, MemberDataProviders } from './member-data-providers';

describe('member data providers', () => {
  it('a-part-without-its-provider-stops-the-start-naming-it', () => {
    const providers = new MemberDataProviders();
    for (const part of MEMBER_DATA_PART_NAMES.filter((name) => name !== 'tunnels')) providers.register(part, async () => []);
    providers.registerAccessLogFilter('legal-requests', async (_, entries) => [...entries]);
    expect(() => providers.onApplicationBootstrap()).toThrow('Member data providers not registered: tunnels');
    providers.register('tunnels', async () => []);
    expect(() => providers.onApplicationBootstrap()).not.toThrow();
  });

  it('an-unguarded-access-log-stops-the-start-too', () => {
    const providers = new MemberDataProviders();
    for (const part of MEMBER_DATA_PART_NAMES) providers.register(part, async () => []);
    expect(() => providers.onApplicationBootstrap()).toThrow('Access log filters not registered: legal-requests');
  });
});
