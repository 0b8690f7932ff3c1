import { canonicalJson } from '../../src/ledger/canonical-json';
import { storedLeaves, tamper, treeSize } from '../support/ledger';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { HTML, signInWith, WebSession } from '../support/web-session';

const V = '/api/v1';

let app: TestApp;
let admin: WebSession;

interface Person {
  id: string;
  token: string;
}

async function person(name: string, ...roles: string[]): Promise<Person> {
  const created = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name, roles }).expect(201);
  return { id: created.body.id, token: created.body.token };
}
const accountNamed = async (name: string) => app.sql<{ id: string; roles: string[] }>('SELECT id, roles FROM accounts WHERE name = $1', [name]);
const tokenOn = (html: string) => /<code class="token">(lnt_[A-Za-z0-9_-]+)<\/code>/.exec(html)?.[1];

/** A value as Handlebars writes it into a page. */
const escaped = (value: string) => value.replaceAll('=', '&#x3D;');

/** Every form of a page, by where it posts. */
const formsOf = (html: string) => [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set('2026-06-01T10:00:00Z');
  admin = await signInWith(app, app.adminToken);
}, 60_000);
afterAll(() => app.close());

it('the-admin-pages-show-accounts-retention-and-the-ledger-from-the-services-of-the-api', async () => {
  const overview = await admin.get('/admin');
  expect(overview.status).toBe(200);
  for (const link of ['/admin/accounts', '/admin/privileges', '/admin/retention', '/admin/ledger']) expect(overview.text).toContain(`href="${link}"`);

  const accounts = await admin.get('/admin/accounts');
  expect(accounts.status).toBe(200);
  expect(accounts.headers['cache-control']).toBe('no-store');
  const listed = (await app.http.get(`${V}/users`).set(bearer(app.adminToken))).body;
  for (const account of listed.items) expect(accounts.text).toContain(account.id);
  expect(accounts.text).toContain(`Accounts 1 to ${listed.total} of ${listed.total}.`);
  expect(formsOf(accounts.text)).toEqual(expect.arrayContaining(['/admin/accounts', `/admin/accounts/${listed.items[0].id}/token`, `/admin/accounts/${listed.items[0].id}/revoke`]));

  const retention = await admin.get('/admin/retention');
  const policies = (await app.http.get(`${V}/admin/retention/policies`).set(bearer(app.adminToken))).body;
  expect(retention.text).toContain(`the ${policies.profile} profile (${policies.jurisdiction})`);
  for (const policy of policies.items) {
    expect(retention.text).toContain(`<code>${policy.category}</code>`);
    expect(formsOf(retention.text)).toContain(`/admin/retention/policies/${policy.category}`);
  }
  expect(retention.text).toContain('IP assignment history');
  expect(formsOf(retention.text)).toContain('/admin/retention/run');

  const ledger = await admin.get('/admin/ledger');
  const checkpoint = (await app.http.get(`${V}/ledger/checkpoint`)).body;
  expect(ledger.text).toContain(checkpoint.rootHash);
  expect(ledger.text).toContain(escaped(checkpoint.signature));
  expect(ledger.text).toContain(`<dd>${checkpoint.treeSize}</dd>`);
  expect(ledger.text).toContain('action="/admin/ledger/verify"');
});

it('a-new-accounts-token-is-shown-once-on-the-result-page-and-works', async () => {
  await admin.get('/admin/accounts');
  const created = await admin.post('/admin/accounts', { name: 'Dominique Tech', 'role-technician': 'on', email: 'Dominique@Example.org', subscriberId: '', language: 'fr' });
  expect(created.status).toBe(201);
  expect(created.headers['cache-control']).toBe('no-store');
  expect(created.text).toContain('shown this once');
  const token = tokenOn(created.text) as string;
  expect(token).toBeDefined();
  expect((await app.http.get(`${V}/me`).set(bearer(token))).body).toMatchObject({ name: 'Dominique Tech', roles: ['technician'] });
  expect((await app.http.get(`${V}/me/contact`).set(bearer(token))).body).toEqual({ email: 'dominique@example.org', language: 'fr' });

  const again = await admin.get('/admin/accounts');
  expect(again.text).toContain('Dominique Tech');
  expect(again.text).not.toContain(token);
  expect(tokenOn(again.text)).toBeUndefined();
  expect((await storedLeaves(app)).filter((leaf) => leaf.action === 'account.created').pop()).toMatchObject({ actor: { role: 'admin' }, refs: { roles: ['technician'] } });
});

it('a-new-token-replaces-the-old-one-and-the-services-refusals-are-shown-on-the-accounts-page', async () => {
  const [{ id }] = await accountNamed('Dominique Tech');
  const before = (await app.sql<{ token_hash: string }>('SELECT token_hash FROM accounts WHERE id = $1', [id]))[0];
  await admin.get('/admin/accounts');
  const issued = await admin.post(`/admin/accounts/${id}/token`);
  expect(issued.status).toBe(201);
  expect(issued.text).toContain('Dominique Tech has a new token');
  const token = tokenOn(issued.text) as string;
  expect((await app.http.get(`${V}/me`).set(bearer(token))).status).toBe(200);
  expect((await app.sql('SELECT token_hash FROM accounts WHERE id = $1', [id]))[0]).not.toEqual(before);

  // The last admin cannot revoke itself: the service says so, on the page.
  const self = (await app.http.get(`${V}/me`).set(bearer(app.adminToken))).body.id;
  const refused = await admin.post(`/admin/accounts/${self}/revoke`);
  expect(refused.status).toBe(409);
  expect(refused.text).toContain('Refused (409): This is the last active admin');
  expect(refused.text).toContain('<h1>Accounts</h1>');

  const revoked = await admin.post(`/admin/accounts/${id}/revoke`);
  expect(revoked.status).toBe(303);
  expect(revoked.headers.location).toBe('/admin/accounts');
  expect((await app.http.get(`${V}/me`).set(bearer(token))).status).toBe(401);
  expect((await admin.get('/admin/accounts')).text).not.toContain('Dominique Tech');
  const twice = await admin.post(`/admin/accounts/${id}/token`);
  expect(twice.status).toBe(409);
  expect(twice.text).toContain('was revoked at');
});

it('the-accounts-list-is-paginated', async () => {
  await person('Paged', 'technician');
  const total = (await app.http.get(`${V}/users`).set(bearer(app.adminToken))).body.total;
  const first = await admin.get('/admin/accounts?limit=1');
  expect(first.text).toContain(`Accounts 1 to 1 of ${total}.`);
  expect(first.text).toContain('href="/admin/accounts?limit&#x3D;1&amp;offset&#x3D;1" rel="next"');
  const second = await admin.get('/admin/accounts?limit=1&offset=1');
  expect(second.text).toContain('href="/admin/accounts?limit&#x3D;1&amp;offset&#x3D;0" rel="prev"');
  expect((await admin.get('/admin/accounts?limit=0')).status).toBe(400);
  expect((await admin.get('/admin/accounts?offset=x')).status).toBe(400);
});

it('retention-is-overridden-by-category-with-the-services-refusals-and-run-on-demand', async () => {
  await admin.get('/admin/retention');
  const shorter = await admin.post('/admin/retention/policies/ip-history', { days: '200', justification: '' });
  expect(shorter.status).toBe(303);
  expect(shorter.headers.location).toBe('/admin/retention');
  const ip = (await app.http.get(`${V}/admin/retention/policies`).set(bearer(app.adminToken))).body.items.find((p: { category: string }) => p.category === 'ip-history');
  expect(ip).toMatchObject({ days: 200, override: { days: 200, justification: null } });

  const unjustified = await admin.post('/admin/retention/policies/identity', { days: '4000' });
  expect(unjustified.status).toBe(422);
  expect(unjustified.text).toContain('needs a written justification');
  const justified = await admin.post('/admin/retention/policies/identity', { days: '4000', justification: 'Litige en cours avec le fournisseur.' });
  expect(justified.status).toBe(303);
  const page = await admin.get('/admin/retention');
  expect(page.text).toContain('Litige en cours avec le fournisseur.');
  expect(page.text).toContain('value="4000"');
  expect((await admin.post('/admin/retention/policies/no-such-category', { days: '10' })).status).toBe(404);
  expect((await storedLeaves(app)).filter((leaf) => leaf.action === 'retention.policy-changed').map((leaf) => leaf.refs.category)).toEqual(['ip-history', 'identity']);

  const ran = await admin.post('/admin/retention/run');
  expect(ran.status).toBe(200);
  expect(ran.text).toContain('The run is done and recorded in the ledger.');
  expect(ran.text).toMatch(/<th scope="row">IP assignment history<\/th><td>0<\/td>/);
  expect((await storedLeaves(app)).pop()).toMatchObject({ action: 'retention.ran', actor: { role: 'admin' } });
});

it('the-ledger-is-verified-on-demand-and-a-tampered-entry-is-named', async () => {
  const verified = await admin.get('/admin/ledger/verify');
  expect(verified.status).toBe(200);
  expect(verified.text).toContain(`The ledger verifies: ${await treeSize(app)} entries recomputed`);
  expect(verified.text).toContain('<time datetime="2026-06-01T10:00:00.000Z">');
  expect(verified.text).toContain('this is the one just run');

  const [original] = await app.sql<{ leaf: Buffer }>('SELECT leaf FROM ledger_leaves WHERE index = 2');
  const forged = canonicalJson({ ...JSON.parse(original.leaf.toString('utf8')), refs: { rewritten: true } });
  await tamper(app, ['UPDATE ledger_leaves SET leaf = $2 WHERE index = $1', [2, forged]]);
  try {
    const bad = await admin.get('/admin/ledger/verify');
    expect(bad.status).toBe(200);
    expect(bad.text).toContain('The ledger does NOT verify');
    expect(bad.text).toContain('First entry that does not match: 2.');
  } finally {
    await tamper(app, ['UPDATE ledger_leaves SET leaf = $2 WHERE index = $1', [2, original.leaf]]);
  }
});

describe('once the bootstrap is over', () => {
  let camille: Person;
  let dominique: Person;

  beforeAll(async () => {
    camille = await person('Camille', 'technician');
    dominique = await person('Dominique', 'technician');
    for (const who of [camille, dominique]) await app.http.post(`${V}/circles/board/members`).set(bearer(app.adminToken)).send({ accountId: who.id }).expect(201);
  });

  it('a-board-member-proposes-a-privilege-from-the-page-and-its-adoption-ends-the-bootstrap', async () => {
    const future = await person('Future admin', 'observer');
    const board = await signInWith(app, camille.token);
    const page = await board.get('/admin/privileges');
    expect(page.status).toBe(200);
    expect(formsOf(page.text)).toContain('/admin/privileges');
    const opened = await board.post('/admin/privileges', { accountId: future.id, role: 'admin', change: 'grant', rationale: 'Tient le serveur depuis deux ans.' });
    expect(opened.status).toBe(303);
    const proposalId = /proposed=([0-9a-f-]{36})$/.exec(opened.headers.location as string)?.[1] as string;
    expect((await board.get(opened.headers.location as string)).text).toContain(`The board proposal ${proposalId} is open`);
    const twice = await board.post('/admin/privileges', { accountId: future.id, role: 'admin', change: 'grant', rationale: 'Encore.' });
    expect(twice.status).toBe(409);
    expect(twice.text).toContain('already decides about the admin role');

    // The bootstrap admin is not on the board: the page explains, without the form.
    const notOnBoard = await admin.get('/admin/privileges');
    expect(notOnBoard.text).toContain('You do not sit on the board.');
    expect(formsOf(notOnBoard.text)).not.toContain('/admin/privileges');

    for (const who of [camille, dominique]) await app.http.post(`${V}/proposals/${proposalId}/positions`).set(bearer(who.token)).send({ position: 'consent' }).expect(200);
    expect((await app.http.post(`${V}/proposals/${proposalId}/close`).set(bearer(camille.token)).expect(200)).body.status).toBe('adopted');
    expect((await accountNamed('Future admin'))[0].roles).toEqual(['admin']);
    expect((await app.sql('SELECT ended_by_proposal FROM instance_bootstrap'))[0]).toEqual({ ended_by_proposal: proposalId });
  });

  it('creating-an-admin-is-refused-with-the-services-message-pointing-to-a-board-proposal', async () => {
    const before = await treeSize(app);
    await admin.get('/admin/accounts');
    const refused = await admin.post('/admin/accounts', { name: 'Would-be admin', 'role-admin': 'on' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Refused (403): Creating an account with admin needs an adopted board proposal');
    expect(refused.text).toContain('POST /privilege-proposals');
    expect(refused.text).toContain('href="/admin/privileges"');
    expect(await accountNamed('Would-be admin')).toEqual([]);
    expect(await treeSize(app)).toBe(before);
    // An observer is still created directly.
    const observer = await admin.post('/admin/accounts', { name: 'New observer', 'role-observer': 'on' });
    expect(observer.status).toBe(201);
  });
});

it('an-observer-reads-every-page-without-its-forms-and-is-refused-every-post', async () => {
  const observer = await person('Olivia Observer', 'observer');
  const session = await signInWith(app, observer.token);
  const before = await treeSize(app);
  for (const path of ['/admin', '/admin/accounts', '/admin/retention', '/admin/ledger', '/admin/privileges']) {
    const page = await session.get(path);
    expect([path, page.status]).toEqual([path, 200]);
    // Only the layout's own forms (signing out, the language) are left.
    expect([path, formsOf(page.text).filter((action) => action.startsWith('/admin'))]).toEqual([path, []]);
  }
  expect((await session.get('/admin')).text).toContain('You are an observer');
  expect((await session.get('/admin/ledger/verify')).text).toContain('The ledger verifies');
  const [{ id }] = await accountNamed('Olivia Observer');
  for (const [path, fields] of [
    ['/admin/accounts', { name: 'x', 'role-technician': 'on' }],
    [`/admin/accounts/${id}/token`, {}],
    [`/admin/accounts/${id}/revoke`, {}],
    ['/admin/retention/policies/ip-history', { days: '10' }],
    ['/admin/retention/run', {}],
    ['/admin/privileges', { accountId: id, role: 'admin', change: 'grant', rationale: 'x' }],
  ] as const) {
    const refused = await session.post(path, fields);
    expect([path, refused.status]).toEqual([path, 403]);
    expect(refused.text).toContain('This page is for:');
  }
  expect(await treeSize(app)).toBe(before);
});

it('a-technician-or-a-member-is-refused-and-a-visitor-is-sent-to-sign-in', async () => {
  const technician = await signInWith(app, await app.tokenFor('technician'));
  const subscriber = await app.http.post(`${V}/subscribers`).set(bearer(await app.tokenFor('technician'))).send({ displayName: 'Sam', email: 'sam@example.org' }).expect(201);
  const memberToken = (await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name: 'Sam', roles: ['member'], subscriberId: subscriber.body.id }).expect(201)).body.token;
  const member = await signInWith(app, memberToken);
  for (const session of [technician, member]) {
    for (const path of ['/admin', '/admin/accounts', '/admin/retention', '/admin/ledger', '/admin/ledger/verify']) {
      const page = await session.get(path);
      expect([path, page.status]).toEqual([path, 403]);
      expect(page.text).toContain('This page is for: admin, observer.');
    }
    expect((await session.post('/admin/retention/run')).status).toBe(403);
  }
  // A technician outside the board reads how privileges work, without the form.
  const privileges = await technician.get('/admin/privileges');
  expect(privileges.status).toBe(200);
  expect(privileges.text).toContain('You do not sit on the board.');
  expect((await member.get('/admin/privileges')).status).toBe(403);

  const visitor = await app.http.get('/admin/accounts').set(HTML);
  expect(visitor.status).toBe(303);
  expect(visitor.headers.location).toBe('/sign-in?next=%2Fadmin%2Faccounts');
});

it('a-form-without-its-token-is-refused-and-changes-nothing', async () => {
  const before = await treeSize(app);
  const accounts = await app.sql('SELECT count(*)::int AS n FROM accounts');
  for (const [path, fields] of [
    ['/admin/accounts', { name: 'Forged', 'role-technician': 'on' }],
    ['/admin/retention/run', {}],
    ['/admin/retention/policies/ip-history', { days: '1' }],
  ] as const) {
    const forged = await admin.postRaw(path, fields);
    expect([path, forged.status]).toEqual([path, 403]);
    expect(forged.text).toContain('did not come from Lanterne');
    expect((await admin.postRaw(path, { ...fields, _csrf: 'not-a-token' })).status).toBe(403);
  }
  expect(await app.sql('SELECT count(*)::int AS n FROM accounts')).toEqual(accounts);
  expect(await treeSize(app)).toBe(before);
});

it('bad-input-is-a-400-page-naming-the-field-and-writes-nothing', async () => {
  const before = await treeSize(app);
  await admin.get('/admin/accounts');
  const cases: [string, Record<string, string>, string][] = [
    ['/admin/accounts', { name: '  ', 'role-technician': 'on' }, 'name'],
    ['/admin/accounts', { name: 'No role' }, 'roles'],
    ['/admin/accounts', { name: 'Bad mail', 'role-technician': 'on', email: 'not-an-address' }, 'email'],
    ['/admin/accounts', { name: 'Member', 'role-member': 'on' }, 'subscriberId'],
    ['/admin/accounts', { name: 'Nul\u0000', 'role-technician': 'on' }, 'name'],
    ['/admin/accounts', { name: 'Odd', 'role-technician': 'yes' }, 'role-technician'],
    ['/admin/accounts', { name: 'Extra', 'role-technician': 'on', root: 'on' }, ''],
    ['/admin/retention/policies/ip-history', { days: 'ten' }, 'days'],
    ['/admin/retention/policies/ip-history', { days: '-1' }, 'days'],
    ['/admin/retention/policies/ip-history', { days: '99999' }, 'days'],
  ];
  for (const [path, fields, field] of cases) {
    const refused = await admin.post(path, fields);
    expect([field, refused.status]).toEqual([field, 400]);
    expect(refused.text).toContain(field === '' ? 'Unrecognized key' : `${field}:`);
  }
  expect((await admin.post('/admin/accounts/not-a-uuid/revoke')).status).toBe(400);
  expect((await admin.post('/admin/accounts/00000000-0000-4000-8000-000000000000/token')).status).toBe(404);
  expect(await accountNamed('No role')).toEqual([]);
  expect(await treeSize(app)).toBe(before);
});
