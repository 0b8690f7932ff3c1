import { runCli } from '../support/run-cli';
import { storedLeaves, treeSize } from '../support/ledger';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const V = '/api/v1';

let app: TestApp;

interface Person {
  id: string;
  token: string;
}

async function person(...roles: string[]): Promise<Person> {
  const created = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name: `someone ${roles.join('+')}`, roles }).expect(201);
  return { id: created.body.id, token: created.body.token };
}
const propose = (who: Person, body: Record<string, unknown>) => app.http.post(`${V}/privilege-proposals`).set(bearer(who.token)).send({ rationale: 'Elle tient le serveur depuis deux ans.', ...body });
const consent = (who: Person, id: string) => app.http.post(`${V}/proposals/${id}/positions`).set(bearer(who.token)).send({ position: 'consent' }).expect(200);
const close = (who: Person, id: string) => app.http.post(`${V}/proposals/${id}/close`).set(bearer(who.token)).expect(200);
const rolesOf = async (id: string) => (await app.sql<{ roles: string[] }>('SELECT roles FROM accounts WHERE id = $1', [id]))[0].roles;
const bootstrap = async () => (await app.sql<{ ended_at: Date | null; ended_by_proposal: string | null }>('SELECT ended_at, ended_by_proposal FROM instance_bootstrap'))[0];

let bootstrapAdmin: Person;
let camille: Person;
let dominique: Person;
let board: Person[];

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set('2026-06-01T10:00:00Z');
  bootstrapAdmin = { id: (await app.http.get(`${V}/me`).set(bearer(app.adminToken))).body.id, token: app.adminToken };
  camille = await person('technician');
  dominique = await person('technician');
  board = [camille, dominique];
}, 60_000);
afterAll(() => app.close());

describe('during the bootstrap', () => {
  it('only-the-bootstrap-admin-grants-directly-and-another-admin-it-made-cannot', async () => {
    const second = await person('admin');
    expect(await rolesOf(second.id)).toEqual(['admin']);
    const refused = await app.http.post(`${V}/users`).set(bearer(second.token)).send({ name: 'x', roles: ['ccj'] });
    expect(refused.status).toBe(403);
    expect(refused.body).toMatchObject({ status: 403, detail: expect.stringContaining('POST /privilege-proposals') });
    expect((await app.http.patch(`${V}/users/${camille.id}`).set(bearer(second.token)).send({ roles: ['technician', 'admin'] })).status).toBe(403);
    // The bootstrap admin forms the board.
    for (const who of board) await app.http.post(`${V}/circles/board/members`).set(bearer(app.adminToken)).send({ accountId: who.id }).expect(201);
    expect((await app.http.post(`${V}/circles/board/members`).set(bearer(second.token)).send({ accountId: second.id })).status).toBe(403);
    await app.http.post(`${V}/users/${second.id}/revoke`).set(bearer(app.adminToken)).expect(204);
    expect((await bootstrap()).ended_at).toBeNull();
  });
});

describe('a privilege proposal', () => {
  let observer: Person;
  let proposalId: string;

  it('grants-admin-to-an-observer-once-adopted-executed-by-the-system-and-ends-the-bootstrap', async () => {
    observer = await person('observer');
    const opened = await propose(camille, { accountId: observer.id, role: 'admin', change: 'grant' });
    expect(opened.status).toBe(201);
    expect(opened.body).toEqual({ proposalId: expect.any(String), status: 'open' });
    proposalId = opened.body.proposalId;
    expect((await propose(dominique, { accountId: observer.id, role: 'admin', change: 'grant' })).status).toBe(409);
    expect(await rolesOf(observer.id)).toEqual(['observer']);

    await consent(camille, proposalId);
    await consent(dominique, proposalId);
    expect((await close(camille, proposalId)).body.status).toBe('adopted');

    expect(await rolesOf(observer.id)).toEqual(['admin']);
    expect(await bootstrap()).toEqual({ ended_at: new Date('2026-06-01T10:00:00Z'), ended_by_proposal: proposalId });
    const leaves = await storedLeaves(app);
    const granted = leaves.find((leaf) => leaf.action === 'account.privilege-changed');
    expect(granted).toMatchObject({ actor: { id: null, role: 'system' }, refs: { accountId: observer.id, role: 'admin', change: 'grant', proposalId, from: ['observer'], to: ['admin'] } });
    expect(leaves.filter((leaf) => leaf.action === 'governance.bootstrap-ended')).toEqual([expect.objectContaining({ refs: { proposalId } })]);
    expect(leaves.find((leaf) => leaf.action === 'privilege.proposed')).toMatchObject({ actor: { id: camille.id }, refs: { proposalId, role: 'admin', change: 'grant' } });
  });

  it('refuses-bad-input-naming-the-field-and-writes-nothing', async () => {
    const before = await treeSize(app);
    const bad: [Record<string, unknown>, string][] = [
      [{ accountId: 'nope', role: 'admin', change: 'grant' }, 'accountId'],
      [{ accountId: observer.id, role: 'root', change: 'grant' }, 'role'],
      [{ accountId: observer.id, role: 'admin', change: 'promote' }, 'change'],
      [{ accountId: observer.id, role: 'admin', change: 'grant', rationale: '  ' }, 'rationale'],
      [{ accountId: observer.id, role: 'admin', change: 'grant', quorum: 1 }, ''],
    ];
    for (const [body, field] of bad) {
      const r = await propose(camille, body);
      expect([field, r.status]).toEqual([field, 400]);
      expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    }
    expect((await app.http.post(`${V}/privilege-proposals`).set(bearer(camille.token)).send({ accountId: observer.id, role: 'admin', change: 'grant' })).status).toBe(400);
    expect((await app.http.post(`${V}/privilege-proposals`).set(bearer(camille.token)).set('content-type', 'application/json').send('{"accountId":')).status).toBe(400);
    expect((await propose(camille, { accountId: '00000000-0000-4000-8000-000000000000', role: 'ccj', change: 'grant' })).status).toBe(404);
    expect((await propose(camille, { accountId: observer.id, role: 'admin', change: 'grant' })).status).toBe(409);
    expect((await propose(camille, { accountId: observer.id, role: 'ccj', change: 'revoke' })).status).toBe(409);
    // Not on the board: the admin itself.
    expect((await propose(observer, { accountId: observer.id, role: 'ccj', change: 'grant' })).status).toBe(403);
    expect((await app.http.post(`${V}/privilege-proposals`).send({ accountId: observer.id, role: 'ccj', change: 'grant', rationale: 'x' })).status).toBe(401);
    expect(await treeSize(app)).toBe(before);
    expect(await app.sql("SELECT 1 FROM privilege_proposals WHERE status = 'open'")).toEqual([]);
  });

  it('a-blocked-proposal-changes-nothing-and-a-board-seat-is-granted-by-one', async () => {
    const blocked = (await propose(camille, { accountId: camille.id, role: 'ccj', change: 'grant' }).expect(201)).body.proposalId;
    await consent(camille, blocked);
    await app.http.post(`${V}/proposals/${blocked}/positions`).set(bearer(dominique.token)).send({ position: 'block', reason: 'Pas sans formation.' }).expect(200);
    expect((await close(camille, blocked)).body.status).toBe('rejected');
    expect(await rolesOf(camille.id)).toEqual(['technician']);

    const seat = (await propose(camille, { accountId: observer.id, role: 'board', change: 'grant' }).expect(201)).body.proposalId;
    await consent(camille, seat);
    await consent(dominique, seat);
    await close(dominique, seat);
    const members = (await app.http.get(`${V}/circles/board/members`).set(bearer(observer.token)).expect(200)).body.items.map((m: { accountId: string }) => m.accountId);
    expect(members).toContain(observer.id);
    expect((await storedLeaves(app)).filter((leaf) => leaf.action === 'circle.member-added').pop()).toMatchObject({ actor: { role: 'system' }, refs: { circle: 'board', accountId: observer.id, proposalId: seat } });
    expect(await app.sql('SELECT status FROM privilege_proposals WHERE proposal_id = ANY ($1)', [[blocked, seat]])).toEqual(expect.arrayContaining([{ status: 'rejected' }, { status: 'adopted' }]));
  });
});

describe('after the bootstrap', () => {
  it('refuses-every-way-a-lone-admin-could-grant-or-remove-a-privilege-and-writes-nothing', async () => {
    const ccj = (await app.sql<{ id: string }>("SELECT id FROM accounts WHERE 'ccj' = ANY (roles) LIMIT 1"))[0];
    const plain = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name: 'new technician', roles: ['technician'] });
    expect(plain.status).toBe(201);
    const admins = [bootstrapAdmin, { id: (await app.sql<{ id: string }>("SELECT id FROM accounts WHERE 'admin' = ANY (roles) AND id <> $1 AND revoked_at IS NULL", [bootstrapAdmin.id]))[0].id, token: '' }];
    const other = admins[1];
    const before = { leaves: await treeSize(app), accounts: await app.sql('SELECT id, roles, revoked_at FROM accounts ORDER BY id'), seats: await app.sql('SELECT * FROM circle_memberships ORDER BY id') };
    const attempts: [string, string, string, object?][] = [
      ['new account with admin', 'post', '/users', { name: 'x', roles: ['admin'] }],
      ['new account with ccj', 'post', '/users', { name: 'x', roles: ['ccj'] }],
      ['new account with a role list holding admin', 'post', '/users', { name: 'x', roles: ['technician', 'observer', 'admin'] }],
      ['admin to a technician', 'patch', `/users/${camille.id}`, { roles: ['technician', 'admin'] }],
      ['ccj to itself', 'patch', `/users/${bootstrapAdmin.id}`, { roles: ['admin', 'ccj'] }],
      ['admin removed from another admin', 'patch', `/users/${other.id}`, { roles: ['technician'] }],
      ['a token for another admin', 'post', `/users/${other.id}/token`],
      ['a token for a board member', 'post', `/users/${camille.id}/token`],
      ['revoking another admin', 'post', `/users/${other.id}/revoke`],
      ['itself to the board', 'post', '/circles/board/members', { accountId: bootstrapAdmin.id }],
      ['a new account to the board', 'post', '/circles/board/members', { accountId: plain.body.id }],
      ['a board member removed', 'delete', `/circles/board/members/${dominique.id}`],
    ];
    if (ccj) attempts.push(['a token for a ccj', 'post', `/users/${ccj.id}/token`]);
    for (const [what, method, path, body] of attempts) {
      const request = app.http[method as 'post'](`${V}${path}`).set(bearer(bootstrapAdmin.token));
      const r = body ? await request.send(body) : await request;
      expect([what, r.status]).toEqual([what, 403]);
    }
    // Itself to the ccj circle: it holds no ccj role.
    const ccjSeat = await app.http.post(`${V}/circles/ccj/members`).set(bearer(bootstrapAdmin.token)).send({ accountId: bootstrapAdmin.id, accreditation: { grantedOn: '2026-01-01', expiresOn: '2027-01-01', authority: 'moi' } });
    expect(ccjSeat.status).toBe(422);
    const cli = await runCli(['create-admin', '--name', 'Night shift'], app.env);
    expect(cli.code).not.toBe(0);
    expect(cli.stderr).toContain('needs an adopted board proposal');
    expect({ leaves: await treeSize(app), accounts: await app.sql('SELECT id, roles, revoked_at FROM accounts ORDER BY id'), seats: await app.sql('SELECT * FROM circle_memberships ORDER BY id') }).toEqual(before);
    // What touches no privilege still works.
    await app.http.post(`${V}/users/${plain.body.id}/token`).set(bearer(bootstrapAdmin.token)).expect(201);
    await app.http.post(`${V}/users/${bootstrapAdmin.id}/token`).set(bearer(bootstrapAdmin.token)).expect(201);
  }, 120_000);

  it('removing-admin-by-an-adopted-proposal-revokes-an-account-left-without-a-role', async () => {
    const target = (await app.sql<{ id: string }>("SELECT id FROM accounts WHERE roles = ARRAY['admin'] AND revoked_at IS NULL AND id <> $1", [bootstrapAdmin.id]))[0].id;
    const id = (await propose(dominique, { accountId: target, role: 'admin', change: 'revoke' }).expect(201)).body.proposalId;
    await consent(camille, id);
    await consent(dominique, id);
    await close(camille, id);
    expect((await app.sql<{ revoked: boolean }>('SELECT revoked_at IS NOT NULL AS revoked FROM accounts WHERE id = $1', [target]))[0].revoked).toBe(true);
  });
});
