import { makeSubscriber, makeSubscription } from '../factories/subscriber.factory';
import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { countRows, expectBadInput } from '../support/refusals';
import { bearer, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;
let v4Pool: string;
let v6Pool: string;

beforeAll(async () => {
  ({ app, tech } = await createTechnicianApp());
  v4Pool = (await makePool(app, tech, '192.0.2.0/24', 32)).id;
  v6Pool = (await makePool(app, tech, '2001:db8::/48', 56)).id;
});
afterAll(() => app.close());

const path = (subscriptionId: string) => `/api/v1/subscriptions/${subscriptionId}/reverse-dns`;
const setName = (token: string, subscriptionId: string, address: string, name: string) => app.http.put(path(subscriptionId)).set(bearer(token)).send({ address, name });
const clearName = (token: string, subscriptionId: string, address: string) => app.http.delete(path(subscriptionId)).query({ address }).set(bearer(token));
const namesOf = async (subscriptionId: string) => (await app.http.get(path(subscriptionId)).set(bearer(tech)).expect(200)).body;
const history = (address: string) =>
  app.sql<{ name: string; cleared_because: string | null }>(`SELECT name, cleared_because FROM reverse_dns_names WHERE address = $1::inet ORDER BY set_at, cleared_at NULLS LAST`, [address]);

async function subscriptionWith(poolId: string): Promise<{ subscriptionId: string; assignmentId: string; prefix: string }> {
  const subscriptionId = await makeActiveSubscription(app, tech);
  const held = await assign(app, tech, subscriptionId, { poolId });
  expect(held.status).toBe(201);
  return { subscriptionId, assignmentId: held.body.id, prefix: held.body.prefix };
}

describe('PTR names through the lifecycle of an assignment', () => {
  it('sets-replaces-and-clears-a-name-keeping-each-as-history', async () => {
    const { subscriptionId, assignmentId, prefix } = await subscriptionWith(v4Pool);
    const address = prefix.replace('/32', '');
    const set = await setName(tech, subscriptionId, address, 'Mail.Example.ORG.');
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ address, name: 'mail.example.org', assignmentId, setAt: app.clock.now().toISOString(), zone: '2.0.192.in-addr.arpa', forwardConfirmed: null });
    app.clock.advance(1000);
    expect((await setName(tech, subscriptionId, address, 'smtp.example.org')).body.name).toBe('smtp.example.org');
    expect((await namesOf(subscriptionId)).items).toEqual([expect.objectContaining({ address, name: 'smtp.example.org' })]);
    expect(await history(address)).toEqual([
      { name: 'mail.example.org', cleared_because: 'replaced' },
      { name: 'smtp.example.org', cleared_because: null },
    ]);

    expect((await clearName(tech, subscriptionId, address)).status).toBe(204);
    expect((await namesOf(subscriptionId)).items).toEqual([]);
    expect((await history(address)).map((row) => row.cleared_because)).toEqual(['replaced', 'cleared']);
    const again = await clearName(tech, subscriptionId, address);
    expect(again.status).toBe(404);
    expect(again.body.type).toBe('urn:lanterne:problem:no-reverse-name');
  });

  it('setting-the-same-name-again-changes-nothing', async () => {
    const { subscriptionId, prefix } = await subscriptionWith(v4Pool);
    const address = prefix.replace('/32', '');
    await setName(tech, subscriptionId, address, 'same.example.org').expect(200);
    const before = await countRows(app, ['reverse_dns_names', 'provisioning_changes']);
    await setName(tech, subscriptionId, address, 'same.example.org.').expect(200);
    expect(await countRows(app, ['reverse_dns_names', 'provisioning_changes'])).toEqual(before);
  });

  it('names-any-address-inside-an-ipv6-prefix-held-and-the-mapped-form-of-an-ipv4-address', async () => {
    const v6 = await subscriptionWith(v6Pool);
    const inside = v6.prefix.replace('::/56', '::1:2');
    const set = await setName(tech, v6.subscriptionId, inside, 'router.example.net');
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ address: inside, zone: '0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa' });

    const v4 = await subscriptionWith(v4Pool);
    const mapped = `::ffff:${v4.prefix.replace('/32', '')}`;
    expect((await setName(tech, v4.subscriptionId, mapped, 'mapped.example.net')).body.address).toBe(v4.prefix.replace('/32', ''));
  });

  it('a-release-clears-the-names-of-the-block-and-bumps-the-zone-serial', async () => {
    const { subscriptionId, assignmentId, prefix } = await subscriptionWith(v6Pool);
    const a = prefix.replace('::/56', '::a');
    const b = prefix.replace('::/56', '::b');
    await setName(tech, subscriptionId, a, 'a.example.net').expect(200);
    await setName(tech, subscriptionId, b, 'b.example.net').expect(200);
    const zone = '0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa';
    const [{ serial: before }] = await app.sql<{ serial: string }>(`SELECT serial FROM dns_zone_serials WHERE zone = $1`, [zone]);
    await app.http.post(`/api/v1/ip-assignments/${assignmentId}/release`).set(bearer(tech)).send({}).expect(200);
    expect((await namesOf(subscriptionId)).items).toEqual([]);
    expect((await history(a)).map((row) => row.cleared_because)).toEqual(['released']);
    expect((await history(b)).map((row) => row.cleared_because)).toEqual(['released']);
    const [{ serial: after }] = await app.sql<{ serial: string }>(`SELECT serial FROM dns_zone_serials WHERE zone = $1`, [zone]);
    expect(Number(after)).toBe(Number(before) + 1);
    // The address is no longer held: naming it again is a conflict.
    expect((await setName(tech, subscriptionId, a, 'a.example.net')).status).toBe(409);
  });

  it('the-history-route-shows-every-name-an-address-had-newest-first-with-why-it-ended', async () => {
    const { subscriptionId, assignmentId, prefix } = await subscriptionWith(v4Pool);
    const address = prefix.replace('/32', '');
    await setName(tech, subscriptionId, address, 'old.example.org').expect(200);
    const first = app.clock.now().toISOString();
    app.clock.advance(60_000);
    await setName(tech, subscriptionId, address, 'new.example.org').expect(200);
    const second = app.clock.now().toISOString();
    app.clock.advance(60_000);
    await app.http.post(`/api/v1/ip-assignments/${assignmentId}/release`).set(bearer(tech)).send({}).expect(200);
    const released = app.clock.now().toISOString();

    const page = await app.http.get(`${path(subscriptionId)}/history`).set(bearer(tech)).expect(200);
    expect(page.body).toEqual({
      items: [
        { address, name: 'new.example.org', assignmentId, setAt: second, clearedAt: released, clearedBecause: 'released' },
        { address, name: 'old.example.org', assignmentId, setAt: first, clearedAt: second, clearedBecause: 'replaced' },
      ],
      total: 2,
      limit: 50,
      offset: 0,
    });
    // The current list has nothing left: the block went with its names.
    expect((await namesOf(subscriptionId)).items).toEqual([]);
  });

  it('ending-a-subscription-clears-the-names-of-every-block-it-held', async () => {
    const { subscriptionId, prefix } = await subscriptionWith(v4Pool);
    const address = prefix.replace('/32', '');
    await setName(tech, subscriptionId, address, 'gone.example.org').expect(200);
    await app.http.post(`/api/v1/subscriptions/${subscriptionId}/end`).set(bearer(tech)).send({}).expect(200);
    expect(await history(address)).toEqual([{ name: 'gone.example.org', cleared_because: 'released' }]);
  });

  it('names-go-with-their-assignment-when-retention-deletes-it', async () => {
    const { subscriptionId, assignmentId, prefix } = await subscriptionWith(v4Pool);
    await setName(tech, subscriptionId, prefix.replace('/32', ''), 'kept.example.org').expect(200);
    await app.http.post(`/api/v1/ip-assignments/${assignmentId}/release`).set(bearer(tech)).send({}).expect(200);
    await app.sql(`DELETE FROM ip_assignments WHERE id = $1`, [assignmentId]);
    expect(await app.sql(`SELECT * FROM reverse_dns_names WHERE assignment_id = $1`, [assignmentId])).toEqual([]);
  });
});

describe('who may name what', () => {
  it('refuses-an-address-the-subscription-does-not-hold-with-a-409-and-writes-nothing', async () => {
    const mine = await subscriptionWith(v4Pool);
    const theirs = await subscriptionWith(v4Pool);
    const tables = ['reverse_dns_names', 'provisioning_changes', 'dns_zone_serials'];
    const before = await countRows(app, tables);
    for (const address of [theirs.prefix.replace('/32', ''), '192.0.2.254', '203.0.113.9', '2001:db8:ffff::1']) {
      const refused = await setName(tech, mine.subscriptionId, address, 'host.example.org');
      expect(refused.status).toBe(409);
      expect(refused.body.type).toBe('urn:lanterne:problem:address-not-held');
    }
    expect((await clearName(tech, mine.subscriptionId, theirs.prefix.replace('/32', ''))).status).toBe(409);
    expect(await countRows(app, tables)).toEqual(before);
  });

  it('lets-a-member-name-their-own-addresses-only', async () => {
    const subscriber = await makeSubscriber(app, tech);
    const own = (await makeSubscription(app, tech, subscriber.id)).id;
    const held = (await assign(app, tech, own, { poolId: v4Pool })).body;
    const created = await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'a member', roles: ['member'], subscriberId: subscriber.id });
    const member = created.body.token as string;
    expect((await setName(member, own, held.prefix.replace('/32', ''), 'home.example.org')).status).toBe(200);
    expect((await app.http.get(path(own)).set(bearer(member))).status).toBe(200);

    const other = await subscriptionWith(v4Pool);
    const refused = await setName(member, other.subscriptionId, other.prefix.replace('/32', ''), 'home.example.org');
    expect(refused.status).toBe(403);
    expect(refused.body.type).toBe('urn:lanterne:problem:not-your-subscription');
    expect((await app.http.get(path(other.subscriptionId)).set(bearer(member))).status).toBe(403);
    expect((await app.http.get(`${path(own)}/history`).set(bearer(member))).status).toBe(200);
    expect((await app.http.get(`${path(other.subscriptionId)}/history`).set(bearer(member))).status).toBe(403);
    const ccj = await app.tokenFor('ccj');
    expect((await setName(ccj, own, held.prefix.replace('/32', ''), 'home.example.org')).status).toBe(403);
  });

  it('an-unknown-subscription-is-a-404', async () => {
    expect((await setName(tech, '00000000-0000-4000-8000-000000000000', '192.0.2.1', 'host.example.org')).status).toBe(404);
  });
});

describe('bad input', () => {
  it.each([
    ['localhost', 'name'],
    ['_sip.example.org', 'name'],
    ['host..example.org', 'name'],
    ['-host.example.org', 'name'],
    [`${'a'.repeat(64)}.example.org`, 'name'],
    [`${'abcdefgh.'.repeat(28)}example.org`, 'name'],
    ['192.0.2.1', 'name'],
    ['', 'name'],
  ])('refuses-the-host-name-%j-with-a-400', async (name, field) => {
    const { subscriptionId, prefix } = await subscriptionWith(v4Pool);
    await expectBadInput(app, tech, ['reverse_dns_names', 'provisioning_changes'], 'put', path(subscriptionId), { address: prefix.replace('/32', ''), name }, field);
  });

  it.each([
    [{ address: 'not an address', name: 'host.example.org' }, 'address'],
    [{ address: '192.0.2.0/24', name: 'host.example.org' }, 'address'],
    [{ name: 'host.example.org' }, 'address'],
    [{ address: '192.0.2.1', name: 'host.example.org', extra: 1 }, ''],
  ])('refuses-the-body-%j-with-a-400', async (body, field) => {
    const { subscriptionId } = await subscriptionWith(v4Pool);
    await expectBadInput(app, tech, ['reverse_dns_names', 'provisioning_changes'], 'put', path(subscriptionId), body, field);
  });
});
