import { makeActiveSubscription } from '../factories/network.factory';
import { bearer, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;

beforeAll(async () => ({ app, tech } = await createTechnicianApp()));
afterAll(() => app.close());

let serial = 0;
async function makeCpe(macAddresses: string[] = [randomMac()]) {
  const r = await app.http.post('/api/v1/cpe').set(bearer(tech)).send({ model: 'Turris Omnia', serial: `SN-${++serial}-${Date.now()}`, macAddresses });
  if (r.status !== 201) throw new Error(`makeCpe: ${r.status} ${r.text}`);
  return r.body;
}
function randomMac() {
  return Array.from({ length: 6 }, () => Math.floor(Math.random() * 256).toString(16).padStart(2, '0')).join(':');
}
const lend = (id: string, subscriptionId: string) => app.http.post(`/api/v1/cpe/${id}/assign`).set(bearer(tech)).send({ subscriptionId });
const takeBack = (id: string, condition: string) => app.http.post(`/api/v1/cpe/${id}/return`).set(bearer(tech)).send({ condition });
const countRows = async (table: string) => Number((await app.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

describe('inventory', () => {
  it('registers-a-device-in-stock-with-normalised-macs', async () => {
    const r = await app.http.post('/api/v1/cpe').set(bearer(tech)).send({ model: 'Turris Omnia', serial: 'TO-0001', macAddresses: ['D8-58-D7-00-00-01', 'd858.d700.0002'] });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ id: expect.any(String), status: 'in_stock', macAddresses: ['d8:58:d7:00:00:01', 'd8:58:d7:00:00:02'], subscriptionId: null, toCollect: false });
    expect((await app.http.get(`/api/v1/cpe/${r.body.id}`).set(bearer(tech))).body).toEqual(r.body);
  });

  it('refuses-a-serial-or-a-mac-already-in-the-inventory-whatever-the-spelling', async () => {
    const first = await makeCpe(['02:00:00:00:00:aa']);
    const before = await countRows('cpe');
    const sameSerial = await app.http.post('/api/v1/cpe').set(bearer(tech)).send({ model: 'x', serial: first.serial.toLowerCase(), macAddresses: [randomMac()] });
    expect(sameSerial.status).toBe(409);
    expect(sameSerial.body.type).toBe('urn:lanterne:problem:cpe-serial-taken');
    const sameMac = await app.http.post('/api/v1/cpe').set(bearer(tech)).send({ model: 'x', serial: 'OTHER-1', macAddresses: ['0200.0000.00AA'] });
    expect(sameMac.status).toBe(409);
    expect(sameMac.body).toMatchObject({ type: 'urn:lanterne:problem:cpe-mac-taken', macAddresses: ['02:00:00:00:00:aa'] });
    expect(await countRows('cpe')).toBe(before);
  });

  it('lists-by-status', async () => {
    const cpe = await makeCpe();
    await lend(cpe.id, await makeActiveSubscription(app, tech)).expect(200);
    const assigned = await app.http.get('/api/v1/cpe').query({ status: 'assigned', limit: 500 }).set(bearer(tech));
    expect(assigned.body.items.map((c: { id: string }) => c.id)).toContain(cpe.id);
    expect(assigned.body.items.every((c: { status: string }) => c.status === 'assigned')).toBe(true);
    const inStock = await app.http.get('/api/v1/cpe').query({ status: 'in_stock', limit: 500 }).set(bearer(tech));
    expect(inStock.body.items.map((c: { id: string }) => c.id)).not.toContain(cpe.id);
  });
});

describe('loans', () => {
  it('lends-takes-back-and-keeps-the-history-of-who-had-it-when', async () => {
    const cpe = await makeCpe();
    const alice = await makeActiveSubscription(app, tech);
    const bob = await makeActiveSubscription(app, tech);
    const t0 = app.clock.now().toISOString();
    const lent = await lend(cpe.id, alice);
    expect(lent.status).toBe(200);
    expect(lent.body).toMatchObject({ status: 'assigned', subscriptionId: alice, assignedAt: t0 });
    app.clock.advance(3600_000);
    const t1 = app.clock.now().toISOString();
    expect((await takeBack(cpe.id, 'ok')).body).toMatchObject({ status: 'in_stock', subscriptionId: null });
    app.clock.advance(3600_000);
    const t2 = app.clock.now().toISOString();
    await lend(cpe.id, bob).expect(200);
    const history = await app.http.get(`/api/v1/cpe/${cpe.id}/history`).set(bearer(tech));
    expect(history.body).toMatchObject({ total: 2 });
    expect(history.body.items).toEqual([
      { subscriptionId: bob, assignedAt: t2, returnedAt: null, condition: null, subscriptionEndedAt: null },
      { subscriptionId: alice, assignedAt: t0, returnedAt: t1, condition: 'ok', subscriptionEndedAt: null },
    ]);
  });

  it('refuses-lifecycle-conflicts-with-409-and-changes-nothing', async () => {
    const cpe = await makeCpe();
    const sub = await makeActiveSubscription(app, tech);
    const notLent = await takeBack(cpe.id, 'ok');
    expect(notLent.status).toBe(409);
    expect(notLent.body.type).toBe('urn:lanterne:problem:cpe-not-assigned');
    await lend(cpe.id, sub).expect(200);
    const twice = await lend(cpe.id, await makeActiveSubscription(app, tech));
    expect(twice.status).toBe(409);
    expect(twice.body.type).toBe('urn:lanterne:problem:cpe-already-assigned');
    await takeBack(cpe.id, 'broken').expect(200);
    const broken = await lend(cpe.id, sub);
    expect(broken.status).toBe(409);
    expect(broken.body.type).toBe('urn:lanterne:problem:cpe-broken');

    const ended = await makeActiveSubscription(app, tech);
    await app.http.post(`/api/v1/subscriptions/${ended}/end`).set(bearer(tech)).send({}).expect(200);
    const fresh = await makeCpe();
    const loansBefore = await countRows('cpe_loans');
    const toEnded = await lend(fresh.id, ended);
    expect(toEnded.status).toBe(409);
    expect(await countRows('cpe_loans')).toBe(loansBefore);
    expect((await app.http.get(`/api/v1/cpe/${fresh.id}`).set(bearer(tech))).body.status).toBe('in_stock');
    expect((await lend('00000000-0000-4000-8000-000000000000', sub)).status).toBe(404);
    expect((await lend(fresh.id, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });

  it('the-database-refuses-two-open-loans-of-one-device', async () => {
    const cpe = await makeCpe();
    const sub = await makeActiveSubscription(app, tech);
    await lend(cpe.id, sub).expect(200);
    await expect(app.sql(`INSERT INTO cpe_loans (cpe_id, subscription_id, assigned_at) VALUES ($1, $2, now())`, [cpe.id, sub])).rejects.toMatchObject({
      code: '23P01',
      constraint: 'cpe_loans_one_holder_at_a_time',
    });
  });

  it('a-device-lent-to-an-ended-subscription-is-to-be-collected-until-it-comes-back', async () => {
    const cpe = await makeCpe();
    const sub = await makeActiveSubscription(app, tech);
    await lend(cpe.id, sub).expect(200);
    const endedAt = app.clock.now().toISOString();
    await app.http.post(`/api/v1/subscriptions/${sub}/end`).set(bearer(tech)).send({}).expect(200);
    const list = await app.http.get('/api/v1/cpe/to-collect').query({ limit: 500 }).set(bearer(tech));
    expect(list.status).toBe(200);
    expect(list.body.items.find((c: { id: string }) => c.id === cpe.id)).toMatchObject({ subscriptionId: sub, toCollect: true, subscriptionEndedAt: endedAt });
    await takeBack(cpe.id, 'ok').expect(200);
    const after = await app.http.get('/api/v1/cpe/to-collect').query({ limit: 500 }).set(bearer(tech));
    expect(after.body.items.map((c: { id: string }) => c.id)).not.toContain(cpe.id);
    const history = await app.http.get(`/api/v1/cpe/${cpe.id}/history`).set(bearer(tech));
    expect(history.body.items[0]).toMatchObject({ subscriptionEndedAt: endedAt, condition: 'ok' });
  });

  it('a-device-lent-before-the-subscription-starts-is-to-be-collected-from-the-cancellation-not-from-the-planned-start', async () => {
    const cpe = await makeCpe();
    const sub = await makeActiveSubscription(app, tech, { startsAt: '2999-01-01T00:00:00Z' });
    await lend(cpe.id, sub).expect(200);
    const cancelledAt = app.clock.now().toISOString();
    await app.http.post(`/api/v1/subscriptions/${sub}/end`).set(bearer(tech)).send({}).expect(200);
    const list = await app.http.get('/api/v1/cpe/to-collect').query({ limit: 500 }).set(bearer(tech));
    expect(list.body.items.find((c: { id: string }) => c.id === cpe.id)).toMatchObject({ subscriptionId: sub, subscriptionEndedAt: cancelledAt });
  });
});
