import { assign, makePool } from '../factories/network.factory';
import { makeSubscriber, makeSubscription } from '../factories/subscriber.factory';
import { bearer, createTestApp, TestApp } from '../support/test-app';

/** Retention in the French profile (LANTERNE_JURISDICTION=fr), travelling in time with the test clock. */

const V = '/api/v1';
const purpose = 'réquisition 2026-17: vérification de l’attribution';

let app: TestApp;
let tech: string;
let poolId: string;

beforeAll(async () => {
  app = await createTestApp({ LANTERNE_JURISDICTION: 'fr' });
  tech = await app.tokenFor('technician');
  poolId = (await makePool(app, tech, '198.51.100.0/24', 32, { quarantineDays: 30 })).id;
});
afterAll(() => app.close());

const run = async () => {
  const r = await app.http.post(`${V}/admin/retention/run`).set(bearer(app.adminToken));
  expect(r.status).toBe(200);
  return r.body.purged as Record<string, number>;
};
const holders = async (address: string, at: string) =>
  (await app.http.get(`${V}/ip-assignments`).query({ address, at, purpose }).set(bearer(tech)).expect(200)).body.items.map((item: { id: string }) => item.id);
const policies = async () => (await app.http.get(`${V}/admin/retention/policies`).set(bearer(app.adminToken)).expect(200)).body;

it('lists-the-french-figures-with-their-sources', async () => {
  const listed = await policies();
  expect(listed).toMatchObject({ jurisdiction: 'fr', profile: 'France' });
  const byCategory = Object.fromEntries(listed.items.map((item: { category: string }) => [item.category, item]));
  expect(byCategory['ip-history']).toMatchObject({
    days: 365,
    profile: { figure: '1 year', source: { citation: expect.stringMatching(/L34-1.*2021-1362/), url: expect.stringContaining('legifrance') }, note: expect.stringContaining('validUntil') },
  });
  expect(byCategory['subscription-data']).toMatchObject({ days: 365, profile: { source: { citation: expect.stringContaining('L34-1, II bis, 2°') } } });
});

describe('a member who held an address and left', () => {
  let subscriberId: string;
  let block: { id: string };

  beforeAll(async () => {
    app.clock.set('2026-06-01T12:00:00Z');
    subscriberId = (await makeSubscriber(app, tech)).id;
    const subscription = await makeSubscription(app, tech, subscriberId, { startsAt: '2025-01-01T00:00:00Z' });
    block = (await assign(app, tech, subscription.id, { poolId, prefix: '198.51.100.7', validFrom: '2025-02-01T00:00:00Z' })).body;
    // Termination ends the subscription and releases the block at the same instant: validUntil.
    await app.http.post(`${V}/subscribers/${subscriberId}/terminate`).set(bearer(tech)).send({ at: '2026-05-01T00:00:00Z' }).expect(200);
  });

  it('keeps-the-ip-source-and-the-subscription-data-for-a-year', async () => {
    app.clock.set('2027-04-30T00:00:00Z');
    expect(await run()).toMatchObject({ 'ip-history': 0, 'subscription-data': 0 });
    expect(await holders('198.51.100.7', '2025-06-01T00:00:00Z')).toEqual([block.id]);
    expect((await app.http.get(`${V}/subscribers/${subscriberId}`).set(bearer(tech))).body.email).toEqual(expect.any(String));
  });

  it('then-purges-both', async () => {
    app.clock.set('2027-05-02T00:00:00Z');
    expect(await run()).toMatchObject({ 'ip-history': 1, 'subscription-data': 1 });
    expect(await holders('198.51.100.7', '2025-06-01T00:00:00Z')).toEqual([]);
    expect((await app.http.get(`${V}/subscribers/${subscriberId}`).set(bearer(tech))).body).toMatchObject({ displayName: null, email: null, status: 'terminated' });
    expect((await app.http.get(`${V}/ledger/verify`).set(bearer(app.adminToken))).body).toMatchObject({ ok: true });
  });
});

it('an-override-keeps-subscription-data-longer-with-its-justification', async () => {
  app.clock.set('2027-06-01T00:00:00Z');
  const subscriberId = (await makeSubscriber(app, tech)).id;
  await app.http.post(`${V}/subscribers/${subscriberId}/terminate`).set(bearer(tech)).send({ at: '2027-06-01T00:00:00Z' }).expect(200);
  const set = await app.http
    .put(`${V}/admin/retention/policies/subscription-data`)
    .set(bearer(app.adminToken))
    .send({ days: 730, justification: 'Litige en cours sur les cotisations : deux ans' });
  expect(set.status).toBe(200);
  expect(set.body).toMatchObject({ days: 730, profile: { days: 365 } });

  app.clock.set('2028-07-01T00:00:00Z');
  expect((await run())['subscription-data']).toBe(0);
  app.clock.set('2029-06-02T00:00:00Z');
  expect((await run())['subscription-data']).toBe(1);
});
