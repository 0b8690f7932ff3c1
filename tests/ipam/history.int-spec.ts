import { storedLeaves } from '../support/ledger';
import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { bearer, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;
let techId: string;
let poolId: string;
let alice: string;
let bob: string;
let aliceBlock: { id: string; prefix: string };

beforeAll(async () => {
  ({ app, tech } = await createTechnicianApp());
  techId = (await app.http.get('/api/v1/me').set(bearer(tech))).body.id;
  poolId = (await makePool(app, tech, '203.0.113.0/24', 32, { quarantineDays: 30 })).id;
  // History migrated from an older system: Alice held .10 from January to March 2025, Bob from May.
  alice = await makeActiveSubscription(app, tech, { startsAt: '2024-12-01T00:00:00Z' });
  bob = await makeActiveSubscription(app, tech, { startsAt: '2025-03-01T00:00:00Z' });
  const a = await assign(app, tech, alice, { poolId, prefix: '203.0.113.10', validFrom: '2025-01-01T00:00:00Z' });
  expect(a.status).toBe(201);
  aliceBlock = a.body;
  await app.http.post(`/api/v1/ip-assignments/${aliceBlock.id}/release`).set(bearer(tech)).send({ at: '2025-03-01T00:00:00Z' }).expect(200);
  expect((await assign(app, tech, bob, { poolId, prefix: '203.0.113.10', validFrom: '2025-03-15T00:00:00Z' })).status).toBe(409);
  expect((await assign(app, tech, bob, { poolId, prefix: '203.0.113.10', validFrom: '2025-05-01T00:00:00Z' })).status).toBe(201);
});
afterAll(() => app.close());

const lookup = (query: Record<string, string>) => app.http.get('/api/v1/ip-assignments').query(query).set(bearer(tech));
const purpose = 'ticket 4711: member reports abuse complaint';
/** The ledger's record of IP-history reads, oldest first. */
const accessLog = async () => (await storedLeaves(app)).filter((entry) => entry.action === 'ip-history.looked-up');

describe('who held an address at an instant', () => {
  it.each([
    ['2024-12-31T23:59:59.999Z', []],
    ['2025-01-01T00:00:00.000Z', ['alice']], // validFrom is included
    ['2025-02-28T23:59:59.999Z', ['alice']],
    ['2025-03-01T00:00:00.000Z', []], // validUntil is excluded
    ['2025-04-15T00:00:00.000Z', []], // in quarantine: nobody
    ['2025-05-01T00:00:00.000Z', ['bob']],
  ])('at %s the holder is %j', async (at, holders) => {
    const r = await lookup({ address: '203.0.113.10', at, purpose });
    expect(r.status).toBe(200);
    expect(r.body.items.map((i: { subscriptionId: string }) => (({ [alice]: 'alice', [bob]: 'bob' })[i.subscriptionId] ?? i.subscriptionId))).toEqual(holders);
    expect(r.body).toMatchObject({ address: '203.0.113.10/32', at, total: holders.length });
  });

  it('answers-with-the-subscription-id-only', async () => {
    const r = await lookup({ address: '203.0.113.10', at: '2025-02-01T00:00:00Z', purpose });
    expect(r.body.items).toEqual([
      { id: aliceBlock.id, subscriptionId: alice, poolId, prefix: '203.0.113.10/32', validFrom: '2025-01-01T00:00:00.000Z', validUntil: '2025-03-01T00:00:00.000Z' },
    ]);
  });

  it('looks-up-an-address-inside-an-ipv6-block', async () => {
    const pool = await makePool(app, tech, '2001:db8:100::/40', 56);
    const sub = await makeActiveSubscription(app, tech);
    const block = (await assign(app, tech, sub, { poolId: pool.id })).body;
    const r = await lookup({ address: '2001:db8:100:ab:1234::1' });
    expect(r.body.items.map((i: { id: string }) => i.id)).toEqual([block.id]);
    expect(r.body.address).toBe('2001:db8:100:ab:1234::1/128');
  });
});

describe('purpose and access log', () => {
  it('a-current-lookup-needs-no-purpose-and-is-not-logged', async () => {
    const before = (await accessLog()).length;
    const r = await lookup({ address: '203.0.113.10' });
    expect(r.status).toBe(200);
    expect(r.body.items[0].subscriptionId).toBe(bob);
    expect(r.body.at).toBe(app.clock.now().toISOString());
    expect((await accessLog()).length).toBe(before);
  });

  it('a-past-lookup-without-purpose-is-a-400-and-records-nothing', async () => {
    const before = (await accessLog()).length;
    const r = await lookup({ address: '203.0.113.10', at: '2025-02-01T00:00:00Z' });
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.body.errors).toEqual([{ path: 'purpose', message: expect.any(String) }]);
    expect(r.body.items).toBeUndefined();
    expect((await accessLog()).length).toBe(before);
  });

  it('a-past-lookup-writes-who-asked-when-about-what-and-why', async () => {
    const before = await accessLog();
    app.clock.advance(1000);
    const at = '2025-02-01T00:00:00.000Z';
    await lookup({ address: '203.0.113.10', at, purpose }).expect(200);
    const rows = await accessLog();
    expect(rows.length).toBe(before.length + 1);
    const [{ subscriber_id: aliceMember }] = await app.sql<{ subscriber_id: string }>(`SELECT subscriber_id FROM subscriptions WHERE id = $1`, [alice]);
    expect(rows[rows.length - 1]).toMatchObject({
      at: app.clock.now().toISOString(),
      actor: { id: techId, role: 'technician' },
      subject: aliceMember,
      purposeCategory: 'other',
      refs: { at, assignments: [aliceBlock.id] },
      personal: { address: expect.stringMatching(/^[0-9a-f]{64}$/), purpose: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    // The address and the typed purpose are personal data: only their salted commitments are in the leaf.
    expect(JSON.stringify(rows[rows.length - 1])).not.toContain('203.0.113.10');
    expect(JSON.stringify(rows[rows.length - 1])).not.toContain('ticket 4711');
  });

  it('refuses-a-future-instant-and-a-malformed-address', async () => {
    const future = await lookup({ address: '203.0.113.10', at: '2099-01-01T00:00:00Z', purpose });
    expect(future.status).toBe(422);
    const malformed = await lookup({ address: '203.0.113', purpose });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors[0].path).toBe('address');
    expect((await lookup({})).status).toBe(400);
  });
});
