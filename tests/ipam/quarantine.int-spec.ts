import { makeSubscriber, makeSubscription } from '../factories/subscriber.factory';
import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { bearer, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;

beforeAll(async () => ({ app, tech } = await createTechnicianApp()));
afterAll(() => app.close());

const DAY = 24 * 3600 * 1000;
const release = (id: string, body: object = {}) => app.http.post(`/api/v1/ip-assignments/${id}/release`).set(bearer(tech)).send(body);

describe('release and quarantine', () => {
  it('releases-a-block-into-quarantine-until-quarantine-days-have-passed', async () => {
    const pool = await makePool(app, tech, '192.0.2.0/29', 32, { quarantineDays: 10 });
    const sub = await makeActiveSubscription(app, tech);
    const held = (await assign(app, tech, sub, { poolId: pool.id, prefix: '192.0.2.3' })).body;
    app.clock.advance(3600 * 1000);
    const releasedAt = app.clock.now();
    const released = await release(held.id);
    expect(released.status).toBe(200);
    expect(released.body).toMatchObject({ validUntil: releasedAt.toISOString(), quarantineUntil: new Date(releasedAt.getTime() + 10 * DAY).toISOString() });

    const other = await makeActiveSubscription(app, tech);
    const during = await assign(app, tech, other, { poolId: pool.id, prefix: '192.0.2.3' });
    expect(during.status).toBe(409);
    expect(during.body).toMatchObject({ type: 'urn:lanterne:problem:prefix-in-quarantine', quarantineUntil: released.body.quarantineUntil });

    app.clock.advance(10 * DAY - 1);
    expect((await assign(app, tech, other, { poolId: pool.id, prefix: '192.0.2.3' })).status).toBe(409);
    app.clock.advance(1);
    const after = await assign(app, tech, other, { poolId: pool.id, prefix: '192.0.2.3' });
    expect(after.status).toBe(201);
    expect(after.body.validFrom).toBe(released.body.quarantineUntil);
  });

  it('the-lowest-free-search-skips-quarantined-blocks-until-their-quarantine-ends', async () => {
    const pool = await makePool(app, tech, '192.0.2.8/29', 32, { quarantineDays: 1 });
    const sub = await makeActiveSubscription(app, tech);
    const first = (await assign(app, tech, sub, { poolId: pool.id })).body;
    expect(first.prefix).toBe('192.0.2.9/32');
    await release(first.id).expect(200);
    expect((await assign(app, tech, sub, { poolId: pool.id })).body.prefix).toBe('192.0.2.10/32');
    const usage = await app.http.get(`/api/v1/ip-pools/${pool.id}`).set(bearer(tech));
    expect(usage.body).toMatchObject({ size: 6, assigned: 1, quarantined: 1, free: 4 });
    app.clock.advance(DAY);
    expect((await assign(app, tech, sub, { poolId: pool.id })).body.prefix).toBe('192.0.2.9/32');
  });

  it('refuses-a-second-release-a-future-release-and-a-release-before-the-start', async () => {
    const pool = await makePool(app, tech, '192.0.2.16/29', 32);
    const sub = await makeActiveSubscription(app, tech, { startsAt: '2026-01-01T00:00:00Z' });
    const held = (await assign(app, tech, sub, { poolId: pool.id, validFrom: '2026-02-01T00:00:00Z' })).body;
    const future = await release(held.id, { at: new Date(app.clock.now().getTime() + 1000).toISOString() });
    expect(future.status).toBe(422);
    const beforeStart = await release(held.id, { at: '2026-01-15T00:00:00Z' });
    expect(beforeStart.status).toBe(422);
    expect((await app.sql(`SELECT valid_until FROM ip_assignments WHERE id = $1`, [held.id]))[0]).toEqual({ valid_until: null });
    await release(held.id, { at: '2026-03-01T00:00:00Z' }).expect(200);
    const twice = await release(held.id);
    expect(twice.status).toBe(409);
    expect(twice.body.type).toBe('urn:lanterne:problem:assignment-already-released');
    expect((await release('00000000-0000-4000-8000-000000000000')).status).toBe(404);
  });
});

describe('ending a subscription', () => {
  it('releases-its-assignments-into-quarantine-in-the-same-transaction', async () => {
    const pool = await makePool(app, tech, '192.0.2.24/29', 32, { quarantineDays: 30 });
    const sub = await makeActiveSubscription(app, tech);
    const a = (await assign(app, tech, sub, { poolId: pool.id })).body;
    const b = (await assign(app, tech, sub, { poolId: pool.id })).body;
    app.clock.advance(DAY);
    const endedAt = app.clock.now().toISOString();
    await app.http.post(`/api/v1/subscriptions/${sub}/end`).set(bearer(tech)).send({}).expect(200);
    for (const id of [a.id, b.id]) {
      const got = await app.http.get(`/api/v1/ip-assignments/${id}`).query({ purpose: 'checking the release' }).set(bearer(tech));
      expect(got.body).toMatchObject({ validUntil: endedAt, quarantineUntil: new Date(Date.parse(endedAt) + 30 * DAY).toISOString() });
    }
    expect((await assign(app, tech, await makeActiveSubscription(app, tech), { poolId: pool.id, prefix: a.prefix })).status).toBe(409);
  });

  it('terminating-a-member-releases-the-blocks-of-all-their-subscriptions', async () => {
    const pool = await makePool(app, tech, '192.0.2.32/29', 32);
    const member = await makeSubscriber(app, tech);
    const vpn = await makeSubscription(app, tech, member.id);
    const fiber = await makeSubscription(app, tech, member.id, { service: 'fiber' });
    await assign(app, tech, vpn.id, { poolId: pool.id });
    await assign(app, tech, fiber.id, { poolId: pool.id });
    await app.http.post(`/api/v1/subscribers/${member.id}/terminate`).set(bearer(tech)).send({}).expect(200);
    const open = await app.sql(`SELECT id FROM ip_assignments WHERE subscription_id = ANY($1) AND valid_until IS NULL`, [[vpn.id, fiber.id]]);
    expect(open).toEqual([]);
  });

  it('an-end-dated-before-an-assignment-started-is-refused-and-changes-nothing', async () => {
    const pool = await makePool(app, tech, '192.0.2.40/29', 32);
    const sub = await makeActiveSubscription(app, tech, { startsAt: '2026-01-01T00:00:00Z' });
    await assign(app, tech, sub, { poolId: pool.id, validFrom: '2026-05-01T00:00:00Z' });
    const r = await app.http.post(`/api/v1/subscriptions/${sub}/end`).set(bearer(tech)).send({ at: '2026-04-01T00:00:00Z' });
    expect(r.status).toBe(422);
    expect(r.body.type).toBe('urn:lanterne:problem:release-before-start');
    expect((await app.sql(`SELECT status FROM subscriptions WHERE id = $1`, [sub]))[0]).toEqual({ status: 'active' });
  });
});
