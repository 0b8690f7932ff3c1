import { makeSubscriber, makeSubscription } from '../factories/subscriber.factory';
import { countRows, expectBadInput, Method } from '../support/refusals';
import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;
let tech: string;

beforeAll(async () => {
  app = await createTestApp();
  tech = await app.tokenFor('technician');
});
afterAll(() => app.close());

const rowsIn = async (table: string) => (await countRows(app, [table]))[table];

describe('subscribers', () => {
  it('registers-members-with-sequential-member-numbers-as-pending', async () => {
    const first = await makeSubscriber(app, tech, { displayName: 'Alice', email: 'Alice@Example.org' });
    const second = await makeSubscriber(app, tech);
    expect(first).toMatchObject({ displayName: 'Alice', email: 'alice@example.org', status: 'pending' });
    expect(second.memberNumber).toBe(first.memberNumber + 1);
    const fetched = await app.http.get(`/api/v1/subscribers/${first.id}`).set(bearer(tech));
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ id: first.id, memberNumber: first.memberNumber });
  });

  it('never-reuses-a-member-number-after-a-failed-registration', async () => {
    const before = await makeSubscriber(app, tech);
    const refused = await app.http.post('/api/v1/subscribers').set(bearer(tech)).send({ displayName: '', email: 'x@example.org' });
    expect(refused.status).toBe(400);
    const after = await makeSubscriber(app, tech);
    expect(after.memberNumber).toBe(before.memberNumber + 1);
  });

  it('searches-by-member-number-display-name-or-email-and-paginates', async () => {
    const zoe = await makeSubscriber(app, tech, { displayName: 'Zoé Lumière', email: 'zoe@lanterne.test' });
    const byName = await app.http.get('/api/v1/subscribers').query({ q: 'lumière' }).set(bearer(tech));
    expect(byName.body.items.map((s: { id: string }) => s.id)).toEqual([zoe.id]);
    const byEmail = await app.http.get('/api/v1/subscribers').query({ q: 'lanterne.test' }).set(bearer(tech));
    expect(byEmail.body.total).toBe(1);
    const byNumber = await app.http.get('/api/v1/subscribers').query({ q: String(zoe.memberNumber) }).set(bearer(tech));
    expect(byNumber.body.items.map((s: { id: string }) => s.id)).toContain(zoe.id);
    const page = await app.http.get('/api/v1/subscribers').query({ limit: 2, offset: 1 }).set(bearer(tech));
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ limit: 2, offset: 1 });
    expect(page.body.items).toHaveLength(2);
    expect(page.body.total).toBeGreaterThanOrEqual(4);
  });

  it('filters-by-status', async () => {
    const member = await makeSubscriber(app, tech);
    await app.http.patch(`/api/v1/subscribers/${member.id}`).set(bearer(tech)).send({ status: 'active' }).expect(200);
    const active = await app.http.get('/api/v1/subscribers').query({ status: 'active' }).set(bearer(tech));
    expect(active.body.items.every((s: { status: string }) => s.status === 'active')).toBe(true);
    expect(active.body.items.map((s: { id: string }) => s.id)).toContain(member.id);
  });

  it('enforces-the-status-lifecycle-with-a-409-naming-both-states', async () => {
    const member = await makeSubscriber(app, tech);
    const suspendPending = await app.http.patch(`/api/v1/subscribers/${member.id}`).set(bearer(tech)).send({ status: 'suspended' });
    expect(suspendPending.status).toBe(409);
    expect(suspendPending.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(suspendPending.body).toMatchObject({ from: 'pending', to: 'suspended' });
    expect(suspendPending.body.detail).toContain('pending');
    expect(suspendPending.body.detail).toContain('suspended');

    for (const status of ['active', 'suspended', 'active']) {
      const r = await app.http.patch(`/api/v1/subscribers/${member.id}`).set(bearer(tech)).send({ status });
      expect(r.status).toBe(200);
      expect(r.body.status).toBe(status);
    }
    const terminated = await app.http.post(`/api/v1/subscribers/${member.id}/terminate`).set(bearer(tech)).send({});
    expect(terminated.body).toMatchObject({ status: 'terminated', terminatedAt: app.clock.now().toISOString() });
    const again = await app.http.post(`/api/v1/subscribers/${member.id}/terminate`).set(bearer(tech)).send({});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ from: 'terminated', to: 'terminated' });
    const revive = await app.http.patch(`/api/v1/subscribers/${member.id}`).set(bearer(tech)).send({ status: 'active' });
    expect(revive.status).toBe(409);
  });

  it('terminating-a-member-ends-their-subscriptions-at-the-same-instant', async () => {
    const member = await makeSubscriber(app, tech);
    await app.http.patch(`/api/v1/subscribers/${member.id}`).set(bearer(tech)).send({ status: 'active' }).expect(200);
    const vpn = await makeSubscription(app, tech, member.id, { startsAt: '2025-01-01T00:00:00Z' });
    const at = '2026-03-01T00:00:00.000Z';
    await app.http.post(`/api/v1/subscribers/${member.id}/terminate`).set(bearer(tech)).send({ at }).expect(200);
    const ended = await app.http.get(`/api/v1/subscriptions/${vpn.id}`).set(bearer(tech));
    expect(ended.body).toMatchObject({ status: 'ended', endsAt: at });
    const refused = await app.http.post('/api/v1/subscriptions').set(bearer(tech)).send({ subscriberId: member.id, service: 'dsl' });
    expect(refused.status).toBe(409);
  });

  it('updates-operational-fields', async () => {
    const member = await makeSubscriber(app, tech);
    const r = await app.http.patch(`/api/v1/subscribers/${member.id}`).set(bearer(tech)).send({ displayName: 'Renamed', language: 'nl' });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ displayName: 'Renamed', language: 'nl', email: member.email });
  });

  it('refuses-a-termination-in-the-future', async () => {
    const member = await makeSubscriber(app, tech);
    const r = await app.http.post(`/api/v1/subscribers/${member.id}/terminate`).set(bearer(tech)).send({ at: '2099-01-01T00:00:00Z' });
    expect(r.status).toBe(422);
    expect((await app.sql(`SELECT status FROM subscribers WHERE id = $1`, [member.id]))[0]).toEqual({ status: 'pending' });
  });
});

describe('subscriptions', () => {
  it('opens-lists-and-ends-a-subscription', async () => {
    const member = await makeSubscriber(app, tech);
    const created = await app.http.post('/api/v1/subscriptions').set(bearer(tech)).send({ subscriberId: member.id, service: 'fiber' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ subscriberId: member.id, service: 'fiber', status: 'active', startsAt: app.clock.now().toISOString() });
    const listed = await app.http.get('/api/v1/subscriptions').query({ subscriberId: member.id }).set(bearer(tech));
    expect(listed.body.items.map((s: { id: string }) => s.id)).toEqual([created.body.id]);
    const ended = await app.http.post(`/api/v1/subscriptions/${created.body.id}/end`).set(bearer(tech)).send({});
    expect(ended.body).toMatchObject({ status: 'ended', endsAt: app.clock.now().toISOString() });
    const twice = await app.http.post(`/api/v1/subscriptions/${created.body.id}/end`).set(bearer(tech)).send({});
    expect(twice.status).toBe(409);
  });

  it('refuses-an-end-before-the-start', async () => {
    const member = await makeSubscriber(app, tech);
    const sub = await makeSubscription(app, tech, member.id, { startsAt: '2026-01-01T00:00:00Z' });
    const r = await app.http.post(`/api/v1/subscriptions/${sub.id}/end`).set(bearer(tech)).send({ at: '2025-12-31T00:00:00Z' });
    expect(r.status).toBe(422);
    expect((await app.sql(`SELECT status FROM subscriptions WHERE id = $1`, [sub.id]))[0]).toEqual({ status: 'active' });
  });

  it('answers-404-for-an-unknown-subscriber-or-subscription', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    const r1 = await app.http.post('/api/v1/subscriptions').set(bearer(tech)).send({ subscriberId: missing, service: 'vpn' });
    expect(r1.status).toBe(404);
    const r2 = await app.http.get(`/api/v1/subscriptions/${missing}`).set(bearer(tech));
    expect(r2.status).toBe(404);
    expect(r2.headers['content-type']).toMatch(/application\/problem\+json/);
  });
});

describe('one rule for how a subscription ends, whichever route ends it', () => {
  const activeMember = async () => {
    const member = await makeSubscriber(app, tech);
    await app.http.patch(`/api/v1/subscribers/${member.id}`).set(bearer(tech)).send({ status: 'active' }).expect(200);
    return member;
  };
  const subscriptionRow = async (id: string) => (await app.http.get(`/api/v1/subscriptions/${id}`).set(bearer(tech))).body;

  it('ending-a-subscription-that-has-not-started-cancels-it-now-never-in-the-future', async () => {
    const member = await activeMember();
    const later = await makeSubscription(app, tech, member.id, { startsAt: '2999-01-01T00:00:00Z' });
    const now = app.clock.now().toISOString();
    const ended = await app.http.post(`/api/v1/subscriptions/${later.id}/end`).set(bearer(tech)).send({});
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ status: 'ended', startsAt: now, endsAt: now });
    expect(await subscriptionRow(later.id)).toEqual(ended.body);
  });

  it('terminating-a-member-cancels-a-subscription-that-has-not-started-at-the-termination-instant', async () => {
    const member = await activeMember();
    const later = await makeSubscription(app, tech, member.id, { startsAt: '2999-01-01T00:00:00Z' });
    const running = await makeSubscription(app, tech, member.id, { startsAt: '2026-01-01T00:00:00Z' });
    const at = '2026-05-01T00:00:00.000Z';
    const terminated = await app.http.post(`/api/v1/subscribers/${member.id}/terminate`).set(bearer(tech)).send({ at });
    expect(terminated.status).toBe(200);
    expect(await subscriptionRow(later.id)).toMatchObject({ status: 'ended', startsAt: at, endsAt: at });
    expect(await subscriptionRow(running.id)).toMatchObject({ status: 'ended', startsAt: '2026-01-01T00:00:00.000Z', endsAt: at });
    const future = await app.sql(`SELECT id FROM subscriptions WHERE subscriber_id = $1 AND ends_at > $2`, [member.id, app.clock.now()]);
    expect(future).toEqual([]);
  });

  it('neither-route-ends-a-started-subscription-before-its-start-and-both-change-nothing', async () => {
    const member = await activeMember();
    const sub = await makeSubscription(app, tech, member.id, { startsAt: '2026-04-01T00:00:00Z' });
    const at = '2026-03-01T00:00:00Z';
    const ended = await app.http.post(`/api/v1/subscriptions/${sub.id}/end`).set(bearer(tech)).send({ at });
    const terminated = await app.http.post(`/api/v1/subscribers/${member.id}/terminate`).set(bearer(tech)).send({ at });
    for (const refused of [ended, terminated]) {
      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({ type: 'urn:lanterne:problem:end-before-start', subscriptionId: sub.id });
    }
    expect(await subscriptionRow(sub.id)).toMatchObject({ status: 'active', endsAt: null });
    expect((await app.http.get(`/api/v1/subscribers/${member.id}`).set(bearer(tech))).body).toMatchObject({ status: 'active', terminatedAt: null });
  });

  it('neither-route-takes-an-end-in-the-future', async () => {
    const member = await activeMember();
    const sub = await makeSubscription(app, tech, member.id, { startsAt: '2999-01-01T00:00:00Z' });
    const at = '2999-06-01T00:00:00Z';
    expect((await app.http.post(`/api/v1/subscriptions/${sub.id}/end`).set(bearer(tech)).send({ at })).status).toBe(422);
    expect((await app.http.post(`/api/v1/subscribers/${member.id}/terminate`).set(bearer(tech)).send({ at })).status).toBe(422);
    expect(await subscriptionRow(sub.id)).toMatchObject({ status: 'active', startsAt: '2999-01-01T00:00:00.000Z', endsAt: null });
  });
});

describe('bad input changes nothing', () => {
  const cases: [string, string, string, unknown, string][] = [
    ['POST', '/api/v1/subscribers', 'subscribers', { displayName: 'x', email: 'not-an-email' }, 'email'],
    ['POST', '/api/v1/subscribers', 'subscribers', { displayName: 'x', email: 'a@b.org', extra: 1 }, ''],
    ['POST', '/api/v1/subscribers', 'subscribers', { displayName: 'x', email: 'a@b.org', language: 'french' }, 'language'],
    ['POST', '/api/v1/subscriptions', 'subscriptions', { subscriberId: 'nope', service: 'vpn' }, 'subscriberId'],
    ['POST', '/api/v1/subscriptions', 'subscriptions', { subscriberId: '00000000-0000-4000-8000-000000000000', service: 'satellite' }, 'service'],
    ['POST', '/api/v1/subscriptions', 'subscriptions', { subscriberId: '00000000-0000-4000-8000-000000000000', service: 'vpn', startsAt: 'yesterday' }, 'startsAt'],
    ['POST', '/api/v1/users', 'accounts', { name: 'x', roles: ['wizard'] }, 'roles.0'],
    ['POST', '/api/v1/users', 'accounts', { name: 'x', roles: ['member'] }, 'subscriberId'],
  ];
  it.each(cases)('%s %s %j → 400 problem+json naming the field', (method, path, table, body, field) =>
    expectBadInput(app, path.includes('users') ? app.adminToken : tech, [table], method.toLowerCase() as Method, path, body as object, field),
  );

  it('malformed-json-is-a-400-problem', async () => {
    const before = await rowsIn('subscribers');
    const r = await app.http.post('/api/v1/subscribers').set(bearer(tech)).set('content-type', 'application/json').send('{"displayName": ');
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.body.detail).toMatch(/JSON/);
    expect(await rowsIn('subscribers')).toBe(before);
  });

  it.each([
    ['limit=0'],
    ['limit=501'],
    ['limit=abc'],
    ['offset=-1'],
    ['status=gone'],
  ])('list query %s is a 400', async (query) => {
    const r = await app.http.get(`/api/v1/subscribers?${query}`).set(bearer(tech));
    expect(r.status).toBe(400);
    expect(r.body.errors).toHaveLength(1);
  });

  it('a-malformed-id-is-a-400-and-an-unknown-route-a-404-problem', async () => {
    const r = await app.http.get('/api/v1/subscribers/not-a-uuid').set(bearer(tech));
    expect(r.status).toBe(400);
    expect(r.body.errors[0].path).toBe('id');
    const unknown = await app.http.get('/api/v1/nothing-here').set(bearer(tech));
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('an-empty-patch-is-a-400', async () => {
    const member = await makeSubscriber(app, tech);
    const r = await app.http.patch(`/api/v1/subscribers/${member.id}`).set(bearer(tech)).send({});
    expect(r.status).toBe(400);
  });
});
