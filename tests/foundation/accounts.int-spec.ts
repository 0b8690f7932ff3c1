import { createHash } from 'node:crypto';
import { makeSubscriber } from '../factories/subscriber.factory';
import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp({ LANTERNE_AUTH_FAILURES_PER_MINUTE: '5' });
});
afterAll(() => app.close());

describe('accounts', () => {
  it('the-bootstrap-token-is-an-admin', async () => {
    const me = await app.http.get('/api/v1/me').set(bearer(app.adminToken));
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ name: 'bootstrap admin', roles: ['admin'] });
    expect(me.body.subscriberId).toBeUndefined();
  });

  it('creates-an-account-whose-token-is-shown-once-and-stored-only-hashed', async () => {
    const created = await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'Camille', roles: ['technician', 'ccj'] });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^lnt_[A-Za-z0-9_-]{43}$/);
    const me = await app.http.get('/api/v1/me').set(bearer(created.body.token));
    expect(me.body).toEqual({ id: created.body.id, name: 'Camille', roles: ['technician', 'ccj'] });

    const [row] = await app.sql<{ token_hash: Buffer }>(`SELECT token_hash FROM accounts WHERE id = $1`, [created.body.id]);
    expect(row.token_hash.equals(createHash('sha256').update(created.body.token).digest())).toBe(true);
    const dump = JSON.stringify(await app.sql(`SELECT * FROM accounts`));
    expect(dump).not.toContain(created.body.token);
  });

  it('binds-a-member-account-to-its-subscriber', async () => {
    const tech = await app.tokenFor('technician');
    const subscriber = await makeSubscriber(app, tech);
    const created = await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'Member', roles: ['member'], subscriberId: subscriber.id });
    expect(created.status).toBe(201);
    const me = await app.http.get('/api/v1/me').set(bearer(created.body.token));
    expect(me.body).toMatchObject({ roles: ['member'], subscriberId: subscriber.id });
    const unknown = await app.http
      .post('/api/v1/users')
      .set(bearer(app.adminToken))
      .send({ name: 'Ghost', roles: ['member'], subscriberId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
  });

  it('lists-accounts-for-admins', async () => {
    const list = await app.http.get('/api/v1/users').set(bearer(app.adminToken));
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThanOrEqual(1);
    expect(list.body.items[0]).not.toHaveProperty('tokenHash');
    const one = await app.http.get(`/api/v1/users/${list.body.items[0].id}`).set(bearer(app.adminToken));
    expect(one.body.id).toBe(list.body.items[0].id);
  });

  it('a-wrong-or-missing-token-is-a-401-problem', async () => {
    const none = await app.http.get('/api/v1/me');
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toMatch(/application\/problem\+json/);
    const wrong = await app.http.get('/api/v1/me').set(bearer('lnt_not-a-real-token'));
    expect(wrong.status).toBe(401);
  });
});

describe('roles on every route', () => {
  let tokens: Record<string, string>;
  let subscriberId: string;
  let subscriptionId: string;

  beforeAll(async () => {
    tokens = { admin: app.adminToken };
    for (const role of ['technician', 'ccj', 'observer']) tokens[role] = await app.tokenFor(role);
    const subscriber = await makeSubscriber(app, tokens.technician);
    subscriberId = subscriber.id;
    const created = await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'member', roles: ['member'], subscriberId });
    tokens.member = created.body.token;
    const sub = await app.http.post('/api/v1/subscriptions').set(bearer(tokens.technician)).send({ subscriberId, service: 'vpn' });
    subscriptionId = sub.body.id;
  });

  // [method, path, body, roles allowed]
  const routes: [string, () => string, () => object | undefined, string[]][] = [
    ['post', () => '/api/v1/users', () => ({ name: 'x', roles: ['technician'] }), ['admin']],
    ['get', () => '/api/v1/users', () => undefined, ['admin', 'observer']],
    ['get', () => '/api/v1/me', () => undefined, ['admin', 'technician', 'ccj', 'member', 'observer']],
    ['post', () => '/api/v1/subscribers', () => ({ displayName: 'x', email: 'x@example.org' }), ['admin', 'technician']],
    ['get', () => '/api/v1/subscribers', () => undefined, ['admin', 'technician', 'observer']],
    ['get', () => `/api/v1/subscribers/${subscriberId}`, () => undefined, ['admin', 'technician', 'observer']],
    ['patch', () => `/api/v1/subscribers/${subscriberId}`, () => ({ language: 'fr' }), ['admin', 'technician']],
    ['post', () => '/api/v1/subscriptions', () => ({ subscriberId, service: 'dsl' }), ['admin', 'technician']],
    ['get', () => '/api/v1/subscriptions', () => undefined, ['admin', 'technician', 'observer']],
    ['get', () => `/api/v1/subscriptions/${subscriptionId}`, () => undefined, ['admin', 'technician', 'observer']],
  ];

  for (const [method, path, body, allowed] of routes) {
    for (const role of ['admin', 'technician', 'ccj', 'member', 'observer']) {
      const expected = allowed.includes(role) ? 'allowed' : 'refused';
      it(`${method.toUpperCase()} ${path.toString().match(/'([^']+)'|`([^`]+)`/)?.slice(1).find(Boolean)} is ${expected} for ${role}`, async () => {
        const req = app.http[method as 'get'](path()).set(bearer(tokens[role]));
        const r = body() ? await req.send(body()) : await req;
        if (expected === 'allowed') expect(r.status).toBeLessThan(300);
        else {
          expect(r.status).toBe(403);
          expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
        }
      });
    }
  }

  it('terminate-and-end-are-refused-to-ccj-members-and-observers-and-change-nothing', async () => {
    for (const role of ['ccj', 'member', 'observer']) {
      expect((await app.http.post(`/api/v1/subscribers/${subscriberId}/terminate`).set(bearer(tokens[role])).send({})).status).toBe(403);
      expect((await app.http.post(`/api/v1/subscriptions/${subscriptionId}/end`).set(bearer(tokens[role])).send({})).status).toBe(403);
    }
    expect((await app.sql(`SELECT status FROM subscriptions WHERE id = $1`, [subscriptionId]))[0]).toEqual({ status: 'active' });
  });
});
