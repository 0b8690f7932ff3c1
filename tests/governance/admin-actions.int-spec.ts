import { leafHash, verifyInclusion } from '../../src/ledger/merkle';
import { makeSubscriber } from '../factories/subscriber.factory';
import { runCli } from '../support/run-cli';
import { storedLeaves, treeSize } from '../support/ledger';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const V = '/api/v1';
let app: TestApp;
let tech: string;
let subscriberId: string;
let memberAccountId: string;

const page = (query = '') => app.http.get(`${V}/public/admin-actions${query}`);
const hex = (text: string) => Buffer.from(text, 'hex');

beforeAll(async () => {
  // Every append signs the tree it leaves: the checkpoint is never behind what a test just wrote.
  app = await createTestApp({ LANTERNE_CHECKPOINT_INTERVAL_SECONDS: '0' });
  app.clock.set('2026-06-01T10:00:00Z');
  tech = await app.tokenFor('technician');
  subscriberId = (await makeSubscriber(app, tech)).id;
  const member = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name: 'Alex Martin', roles: ['member'], subscriberId }).expect(201);
  memberAccountId = member.body.id;
  await app.http.patch(`${V}/users/${memberAccountId}`).set(bearer(app.adminToken)).send({ roles: ['member'], subscriberId }).expect(200);
});
afterAll(() => app.close());

describe('the public log of admin actions', () => {
  it('lists-admin-and-system-actions-newest-first-without-ids-or-personal-values', async () => {
    const r = await page();
    expect(r.status).toBe(200);
    const leaves = await storedLeaves(app);
    const expected = leaves.filter((leaf) => ['admin', 'ccj', 'observer', 'system'].includes(leaf.actor.role)).reverse();
    expect(r.body).toMatchObject({ treeSize: leaves.length, total: expected.length, limit: 50, offset: 0 });
    expect(r.body.items.map((item: { index: number; action: string; role: string }) => [item.index, item.action, item.role])).toEqual(expected.map((leaf) => [leaf.index, leaf.action, leaf.actor.role]));
    // The technician's account creation is the admin's; the subscriber the technician created is not an admin action.
    expect(r.body.items.map((item: { action: string }) => item.action)).not.toContain('subscriber.created');
    const text = JSON.stringify(r.body);
    const [admin] = await app.sql<{ id: string }>(`SELECT id FROM accounts WHERE 'admin' = ANY (roles)`);
    for (const secret of [subscriberId, memberAccountId, admin.id, 'Alex Martin']) expect(text).not.toContain(secret);
    const created = r.body.items.find((item: { action: string; refs: { roles?: string[] } }) => item.action === 'account.created' && item.refs.roles?.includes('member'));
    expect(created).toMatchObject({ role: 'admin', subject: { pseudonym: expect.stringMatching(/^[0-9a-f]{32}$/) }, refs: { roles: ['member'] } });
    const changed = r.body.items.find((item: { action: string }) => item.action === 'account.roles-changed');
    expect(changed.subject).toEqual(created.subject);
  });

  it('pages-with-limit-and-offset-and-refuses-bad-paging', async () => {
    const all = (await page()).body;
    const second = (await page('?limit=2&offset=1')).body;
    expect(second).toMatchObject({ limit: 2, offset: 1, total: all.total });
    expect(second.items).toEqual(all.items.slice(1, 3));
    for (const query of ['?limit=0', '?limit=501', '?offset=-1', '?proofs=yes', '?treeSize=x', '?limit=1&limit=2']) {
      const r = await page(query);
      expect([query, r.status]).toEqual([query, 400]);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    const beyond = await page(`?treeSize=${(await treeSize(app)) + 100}`);
    expect(beyond.status).toBe(404);
  });

  it('carries-inclusion-proofs-that-lead-to-the-signed-root-and-leaf-hashes-an-auditor-can-recompute', async () => {
    const checkpoint = (await app.http.get(`${V}/ledger/checkpoint`).expect(200)).body;
    const r = await page(`?proofs=true&treeSize=${checkpoint.treeSize}`);
    expect(r.status).toBe(200);
    expect(r.body.treeSize).toBe(checkpoint.treeSize);
    const leaves = await storedLeaves(app);
    for (const item of r.body.items) {
      expect(verifyInclusion(hex(item.leafHash), item.index, checkpoint.treeSize, item.inclusionProof.map(hex), hex(checkpoint.rootHash))).toBe(true);
      // Whoever may read entries holds the public fields against the leaf itself.
      const leaf = leaves[item.index];
      const [stored] = await app.sql<{ leaf: Buffer }>('SELECT leaf FROM ledger_leaves WHERE index = $1', [item.index]);
      expect(leafHash(stored.leaf).toString('hex')).toBe(item.leafHash);
      expect([leaf.at, leaf.action, leaf.actor.role]).toEqual([item.at, item.action, item.role]);
    }
    // Without treeSize, proofs are against the latest signed checkpoint.
    expect((await page('?proofs=true')).body.treeSize).toBe((await app.http.get(`${V}/ledger/checkpoint`)).body.treeSize);
  });

  it('forgets-a-members-pseudonym-with-their-identity-and-never-makes-a-new-one', async () => {
    const before = (await page()).body.items.find((item: { subject?: unknown }) => item.subject);
    await app.http.post(`${V}/subscribers/${subscriberId}/terminate`).set(bearer(tech)).send({}).expect(200);
    app.clock.advance(366 * 24 * 3600 * 1000);
    const run = await app.http.post(`${V}/admin/retention/run`).set(bearer(app.adminToken)).expect(200);
    expect(run.body.purged['admin-action-pseudonyms']).toBe(1);
    expect(await app.sql('SELECT key, forgotten_at IS NOT NULL AS forgotten FROM subject_pseudonym_keys WHERE subject = $1', [subscriberId])).toEqual([{ key: null, forgotten: true }]);
    const after = (await page()).body.items.find((item: { index: number }) => item.index === before.index);
    expect(after.subject).toEqual({ pseudonym: null });
    expect(JSON.stringify((await page()).body)).not.toContain(before.subject.pseudonym);
    expect((await app.http.post(`${V}/admin/retention/run`).set(bearer(app.adminToken))).body.purged['admin-action-pseudonyms']).toBe(0);
  });
});

describe('lanterne verify --admin-actions', () => {
  it('checks-a-page-against-the-signed-checkpoint', async () => {
    const base = `http://127.0.0.1:${(app.lanterne.app.getHttpServer().address() as { port: number }).port}`;
    const result = await runCli(['verify', '--url', base, '--admin-actions', '--limit', '5'], app.env);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok: 5 admin action\(s\) \(offset 0 of \d+\): each is in the signed log at its index/);
    expect(result.stdout).toContain('not checked: that the fields the public view shows');
    const bad = await runCli(['verify', '--url', base, '--admin-actions', '--limit', '0'], app.env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('must be an integer from 1 to 500');
  }, 60_000);
});
