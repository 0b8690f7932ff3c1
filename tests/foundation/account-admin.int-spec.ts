import { LeafJson, storedLeaves } from '../support/ledger';
import { makeSubscriber } from '../factories/subscriber.factory';
import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const lastEntry = async () => (await storedLeaves(app)).at(-1) as LeafJson;
const adminId = async () => (await app.http.get('/api/v1/me').set(bearer(app.adminToken))).body.id as string;

async function createAccount(body: object) {
  const r = await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send(body);
  expect(r.status).toBe(201);
  return r.body as { id: string; token: string };
}

describe('account administration', () => {
  it('changes-roles-and-records-from-and-to-in-the-ledger', async () => {
    const account = await createAccount({ name: 'Dominique', roles: ['technician'] });
    const r = await app.http.patch(`/api/v1/users/${account.id}`).set(bearer(app.adminToken)).send({ roles: ['technician', 'ccj'] });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id: account.id, name: 'Dominique', roles: ['technician', 'ccj'] });
    expect((await app.http.get('/api/v1/me').set(bearer(account.token))).body.roles).toEqual(['technician', 'ccj']);
    expect(await lastEntry()).toMatchObject({
      action: 'account.roles-changed',
      actor: { id: await adminId(), role: 'admin' },
      refs: { accountId: account.id, from: ['technician'], to: ['technician', 'ccj'] },
    });
  });

  it('binds-an-account-turned-member-to-its-subscriber', async () => {
    const tech = await createAccount({ name: 'Tech', roles: ['technician'] });
    const subscriber = await makeSubscriber(app, tech.token);
    const account = await createAccount({ name: 'Soon a member', roles: ['technician'] });
    const unbound = await app.http.patch(`/api/v1/users/${account.id}`).set(bearer(app.adminToken)).send({ roles: ['member'] });
    expect(unbound.status).toBe(400);
    expect(unbound.body.errors[0].path).toBe('subscriberId');
    const bound = await app.http.patch(`/api/v1/users/${account.id}`).set(bearer(app.adminToken)).send({ roles: ['member'], subscriberId: subscriber.id });
    expect(bound.body).toMatchObject({ roles: ['member'], subscriberId: subscriber.id });
    expect((await lastEntry()).subject).toBe(subscriber.id);
  });

  it('issues-a-new-token-and-the-old-one-stops-working', async () => {
    const account = await createAccount({ name: 'Lost phone', roles: ['technician'] });
    const r = await app.http.post(`/api/v1/users/${account.id}/token`).set(bearer(app.adminToken)).send();
    expect(r.status).toBe(201);
    expect(r.body.token).toMatch(/^lnt_/);
    expect((await app.http.get('/api/v1/me').set(bearer(account.token))).status).toBe(401);
    expect((await app.http.get('/api/v1/me').set(bearer(r.body.token))).body.id).toBe(account.id);
    expect(await lastEntry()).toMatchObject({ action: 'account.token-issued', refs: { accountId: account.id } });
    expect(JSON.stringify(await lastEntry())).not.toContain(r.body.token);
  });

  it('revokes-an-account-whose-token-then-fails-and-which-can-no-longer-change', async () => {
    const account = await createAccount({ name: 'Left the association', roles: ['technician'] });
    expect((await app.http.post(`/api/v1/users/${account.id}/revoke`).set(bearer(app.adminToken)).send()).status).toBe(204);
    expect((await app.http.get('/api/v1/me').set(bearer(account.token))).status).toBe(401);
    expect(await lastEntry()).toMatchObject({ action: 'account.revoked', refs: { accountId: account.id } });
    const again = await app.http.post(`/api/v1/users/${account.id}/token`).set(bearer(app.adminToken)).send();
    expect(again.status).toBe(409);
    const listed = await app.http.get('/api/v1/users').query({ limit: 500 }).set(bearer(app.adminToken));
    expect(listed.body.items.map((a: { id: string }) => a.id)).not.toContain(account.id);
  });

  it('never-loses-the-last-admin', async () => {
    const me = await adminId();
    const leaves = async () => Number((await app.sql<{ n: string }>(`SELECT count(*) AS n FROM ledger_leaves`))[0].n);
    const before = await leaves();
    const demote = await app.http.patch(`/api/v1/users/${me}`).set(bearer(app.adminToken)).send({ roles: ['technician'] });
    expect(demote.status).toBe(409);
    expect(demote.body.type).toContain('last-admin');
    expect((await app.http.post(`/api/v1/users/${me}/revoke`).set(bearer(app.adminToken)).send()).status).toBe(409);
    expect(await leaves()).toBe(before);

    const second = await createAccount({ name: 'Second admin', roles: ['admin'] });
    expect((await app.http.patch(`/api/v1/users/${second.id}`).set(bearer(app.adminToken)).send({ roles: ['technician'] })).status).toBe(200);
  });

  it('is-for-admins-only-and-404s-unknown-accounts', async () => {
    const tech = await createAccount({ name: 'Curious', roles: ['technician', 'ccj'] });
    expect((await app.http.patch(`/api/v1/users/${tech.id}`).set(bearer(tech.token)).send({ roles: ['admin'] })).status).toBe(403);
    expect((await app.http.post(`/api/v1/users/${tech.id}/token`).set(bearer(tech.token)).send()).status).toBe(403);
    expect((await app.http.post(`/api/v1/users/${tech.id}/revoke`).set(bearer(tech.token)).send()).status).toBe(403);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await app.http.patch(`/api/v1/users/${missing}`).set(bearer(app.adminToken)).send({ roles: ['technician'] })).status).toBe(404);
    expect((await app.http.post(`/api/v1/users/${missing}/revoke`).set(bearer(app.adminToken)).send()).status).toBe(404);
    const bad = await app.http.patch(`/api/v1/users/${tech.id}`).set(bearer(app.adminToken)).send({ roles: [] });
    expect(bad.status).toBe(400);
    expect((await app.http.get('/api/v1/me').set(bearer(tech.token))).body.roles).toEqual(['technician', 'ccj']);
  });
});
