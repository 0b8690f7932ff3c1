import { canonicalJson } from '../../src/ledger/canonical-json';
import { insertAppended, lockTreeEdge } from '../../src/ledger/ledger.store';
import { leafHash, RootAccumulator } from '../../src/ledger/merkle';
import { commitPersonalValue } from '../../src/ledger/personal-commitment';
import { PersonalValuesService } from '../../src/ledger/personal-values.service';
import { assign, makePool } from '../factories/network.factory';
import { makeSubscriber, makeSubscription } from '../factories/subscriber.factory';
import { dataSourceOf, storedLeaves, treeSize } from '../support/ledger';
import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;
let tech: string;
let ccj: string;
let subscriberId: string;
let assignmentId: string;

/** What a technician typed while on the phone with a member: exactly what must not stay forever in the log. */
const TYPED = 'member called from +32 470 12 34 56 about a slow line';
const PHONE = '470 12 34 56';

beforeAll(async () => {
  app = await createTestApp();
  tech = await app.tokenFor('technician');
  ccj = await app.tokenFor('ccj');
  subscriberId = (await makeSubscriber(app, tech)).id;
  const subscription = await makeSubscription(app, tech, subscriberId, { startsAt: '2025-01-01T00:00:00Z' });
  const pool = await makePool(app, tech, '198.51.100.0/24', 32);
  const block = await assign(app, tech, subscription.id, { poolId: pool.id, prefix: '198.51.100.7', validFrom: '2025-01-01T00:00:00Z' });
  expect(block.status).toBe(201);
  assignmentId = block.body.id;
  await app.http.post(`/api/v1/ip-assignments/${assignmentId}/release`).set(bearer(tech)).send({ at: '2025-06-01T00:00:00Z' }).expect(200);
});
afterAll(() => app.close());

const pastLookup = (query: Record<string, string>) =>
  app.http.get('/api/v1/ip-assignments').query({ address: '198.51.100.7', at: '2025-03-01T00:00:00Z', ...query }).set(bearer(tech));
const readPersonal = (index: number, query: string) => app.http.get(`/api/v1/ledger/entries/${index}/personal?${query}`).set(bearer(ccj));
const rawLeaf = async (index: number) => (await app.sql<{ leaf: Buffer }>('SELECT leaf FROM ledger_leaves WHERE index = $1', [index]))[0].leaf.toString('utf8');
const serverVerify = async () => (await app.http.get('/api/v1/ledger/verify').set(bearer(app.adminToken)).expect(200)).body;

describe('a purpose typed by a person', () => {
  let lookupEntry: number;

  it('enters-the-leaf-only-as-a-commitment-beside-its-category-in-clear', async () => {
    expect((await pastLookup({ purpose: TYPED, purposeCategory: 'support' })).status).toBe(200);
    lookupEntry = (await treeSize(app)) - 1;
    const leaf = await rawLeaf(lookupEntry);
    expect(leaf).not.toContain(PHONE);
    const parsed = JSON.parse(leaf);
    expect(parsed).not.toHaveProperty('purpose');
    expect(parsed).toMatchObject({
      action: 'ip-history.looked-up',
      subject: subscriberId,
      purposeCategory: 'support',
      personal: { purpose: expect.stringMatching(/^[0-9a-f]{64}$/), address: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    // Held beside the leaf, sealed: not in clear in the database either.
    const [held] = await app.sql<{ sealed: Buffer }>(`SELECT sealed FROM ledger_personal_values WHERE leaf_index = $1 AND name = 'purpose'`, [lookupEntry]);
    expect(held.sealed.includes(Buffer.from(PHONE))).toBe(false);
  });

  it('is-filed-under-other-when-no-category-is-given-on-every-purposed-route', async () => {
    await app.http.get(`/api/v1/ip-assignments/${assignmentId}`).query({ purpose: 'checking an old ticket' }).set(bearer(tech)).expect(200);
    expect((await storedLeaves(app)).at(-1)).toMatchObject({ action: 'ip-history.looked-up', purposeCategory: 'other' });
    await app.http.get(`/api/v1/ip-assignments/${assignmentId}`).query({ purpose: 'checking an old ticket', purposeCategory: 'troubleshooting' }).set(bearer(tech)).expect(200);
    expect((await storedLeaves(app)).at(-1)).toMatchObject({ purposeCategory: 'troubleshooting' });
    await readPersonal(lookupEntry, 'purpose=reviewing%20a%20lookup').expect(200);
    expect((await storedLeaves(app)).at(-1)).toMatchObject({ action: 'ledger.personal-values.read', purposeCategory: 'other' });
  });

  it('takes-a-category-from-the-closed-list-only-refusing-others-before-recording-anything', async () => {
    const before = await treeSize(app);
    for (const response of [
      await pastLookup({ purpose: TYPED, purposeCategory: 'curiosity' }),
      await app.http.get(`/api/v1/ip-assignments/${assignmentId}`).query({ purpose: 'checking an old ticket', purposeCategory: 'SUPPORT' }).set(bearer(tech)),
      await readPersonal(lookupEntry, 'purpose=reviewing%20a%20lookup&purposeCategory='),
    ]) {
      expect(response.status).toBe(400);
      expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual(['purposeCategory']);
    }
    expect(await treeSize(app)).toBe(before);
  });

  it('is-read-back-with-a-purpose-of-its-own-then-erased-by-retention-and-the-log-still-verifies', async () => {
    const response = await readPersonal(lookupEntry, 'purpose=auditing%20a%20complaint&purposeCategory=audit');
    expect(response.status).toBe(200);
    const purpose = response.body.values.find((value: { name: string }) => value.name === 'purpose');
    expect(purpose).toMatchObject({ value: TYPED, salt: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const leaves = await storedLeaves(app);
    expect(commitPersonalValue(Buffer.from(purpose.salt, 'hex'), purpose.value)).toBe(leaves[lookupEntry].personal.purpose);
    // The read is recorded in turn, its own purpose committed the same way.
    expect(leaves.at(-1)).toMatchObject({ action: 'ledger.personal-values.read', subject: subscriberId, purposeCategory: 'audit', refs: { index: lookupEntry } });
    expect(JSON.stringify(leaves.at(-1))).not.toContain('auditing a complaint');

    const erased = await dataSourceOf(app).transaction((em) => app.lanterne.app.get(PersonalValuesService).eraseAbout(em, subscriberId));
    expect(erased).toBeGreaterThanOrEqual(2);
    const after = await readPersonal(lookupEntry, 'purpose=auditing%20a%20complaint&purposeCategory=audit');
    expect(after.body.values).toEqual(
      expect.arrayContaining([{ name: 'purpose', commitment: leaves[lookupEntry].personal.purpose, erasedAt: expect.any(String) }]),
    );
    expect(JSON.stringify(after.body)).not.toContain(PHONE);
    const sealed = await app.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_personal_values WHERE name = 'purpose' AND sealed IS NOT NULL AND leaf_index = $1`, [lookupEntry]);
    expect(sealed[0].n).toBe(0);
    expect(await serverVerify()).toMatchObject({ ok: true });
  });
});

describe('leaves written before purposes were personal values', () => {
  it('stay-as-they-are-and-verify', async () => {
    // A leaf as the previous version wrote it, with its purpose in clear, appended below the service.
    const legacy = await dataSourceOf(app).transaction(async (em) => {
      const { treeSize: index, edge } = await lockTreeEdge(em);
      const tree = RootAccumulator.resume(index, edge);
      const leaf = canonicalJson({
        index,
        at: '2026-05-01T00:00:00.000Z',
        actor: { id: null, role: 'system' },
        action: 'ip-history.looked-up',
        purpose: 'an old clear purpose',
        refs: {},
        personal: {},
      });
      const hash = leafHash(leaf);
      await insertAppended(em, [{ index, leaf, leafHash: hash, subject: null }], tree.append(hash), []);
      return { index, leaf: leaf.toString('utf8') };
    });
    expect(await serverVerify()).toMatchObject({ ok: true, treeSize: legacy.index + 1 });
    const entries = await app.http.get(`/api/v1/ledger/entries?start=${legacy.index}&end=${legacy.index + 1}`).set(bearer(app.adminToken));
    expect(entries.body).toEqual([{ index: legacy.index, leaf: legacy.leaf, leafHash: expect.any(String) }]);
    const personal = await readPersonal(legacy.index, 'purpose=reviewing%20an%20old%20entry&purposeCategory=audit');
    expect(personal.status).toBe(200);
    expect(personal.body).toEqual({ index: legacy.index, values: [] });
  });
});
