import { createHash } from 'node:crypto';
import { SYSTEM_ACTOR } from '../../src/common/access';
import { LedgerError } from '../../src/ledger/ledger.errors';
import { LedgerService } from '../../src/ledger/ledger.service';
import { makeSubscriber } from '../factories/subscriber.factory';
import { dataSourceOf, storedLeaves, treeSize } from '../support/ledger';
import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;
let ledger: LedgerService;

beforeAll(async () => {
  app = await createTestApp();
  ledger = app.lanterne.app.get(LedgerService);
});
afterAll(() => app.close());

describe('recording account creation', () => {
  it('records-the-bootstrap-admin-as-created-by-the-system', async () => {
    const [first] = await storedLeaves(app);
    expect(first).toMatchObject({ index: 0, actor: { id: null, role: 'system' }, action: 'account.created', refs: { roles: ['admin'] } });
  });

  it('records-an-account-with-its-creator-and-only-a-commitment-to-the-name', async () => {
    const me = (await app.http.get('/api/v1/me').set(bearer(app.adminToken))).body;
    const before = await treeSize(app);
    const created = await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'Dominique Lambert', roles: ['technician', 'ccj'] });
    expect(created.status).toBe(201);
    expect(await treeSize(app)).toBe(before + 1);

    const leaf = (await storedLeaves(app))[before];
    expect(leaf).toEqual({
      index: before,
      at: '2026-06-01T12:00:00.000Z',
      actor: { id: me.id, role: 'admin' },
      action: 'account.created',
      refs: { accountId: created.body.id, roles: ['technician', 'ccj'] },
      personal: { name: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    const stored = JSON.stringify(await app.sql('SELECT l.leaf::text, p.sealed::text FROM ledger_leaves l JOIN ledger_personal_values p ON p.leaf_index = l.index'));
    expect(stored).not.toContain(Buffer.from('Dominique').toString('hex'));
  });

  it('makes-a-member-account-an-entry-about-that-member', async () => {
    const subscriber = await makeSubscriber(app, await app.tokenFor('technician'));
    const created = await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'Member', roles: ['member'], subscriberId: subscriber.id });
    const leaves = await storedLeaves(app);
    expect(leaves.find((leaf) => leaf.refs.accountId === created.body.id)?.subject).toBe(subscriber.id);
    const [{ count }] = await app.sql<{ count: number }>('SELECT count(*)::int AS count FROM ledger_leaves WHERE subject = $1', [subscriber.id]);
    expect(count).toBe(1);
  });

  it('refuses-a-name-utf8-cannot-carry-with-a-400-and-creates-nothing', async () => {
    const before = await treeSize(app);
    const response = await app.http
      .post('/api/v1/users')
      .set(bearer(app.adminToken))
      .set('content-type', 'application/json')
      .send('{"name":"bad \\ud800 name","roles":["technician"]}');
    expect(response.status).toBe(400);
    // Refused with the request, before the ledger would have to refuse to encode it.
    expect(response.body.errors).toEqual([{ path: 'name', message: expect.stringContaining('lone surrogate') }]);
    expect(await treeSize(app)).toBe(before);
    expect(await app.sql(`SELECT 1 FROM accounts WHERE name LIKE 'bad %'`)).toHaveLength(0);
  });
});

describe('appends share the fate of the action they record', () => {
  it('a-failing-action-leaves-no-entry-and-gives-its-index-back', async () => {
    const before = await treeSize(app);
    const refused = await app.http
      .post('/api/v1/users')
      .set(bearer(app.adminToken))
      .send({ name: 'Ghost', roles: ['member'], subscriberId: '00000000-0000-4000-8000-000000000000' });
    expect(refused.status).toBe(404);

    // The entry is written, then the action fails: both roll back.
    await expect(
      dataSourceOf(app).transaction(async (em) => {
        await ledger.record(em, { actor: SYSTEM_ACTOR, action: 'configuration.changed', refs: { setting: 'doomed' } });
        throw new Error('the action failed after its entry was written');
      }),
    ).rejects.toThrow('the action failed');
    expect(await treeSize(app)).toBe(before);
    expect(await app.sql('SELECT 1 FROM ledger_leaves WHERE index >= $1', [before])).toHaveLength(0);

    const index = await dataSourceOf(app).transaction((em) => ledger.record(em, { actor: SYSTEM_ACTOR, action: 'configuration.changed', refs: { setting: 'kept' } }));
    expect(index).toBe(before);
  });

  it('refuses-to-record-outside-a-transaction', async () => {
    await expect(ledger.record(dataSourceOf(app).manager, { actor: SYSTEM_ACTOR, action: 'configuration.changed' })).rejects.toThrow(/inside the transaction/);
  });

  it('refuses-a-read-of-personal-data-without-a-purpose-and-a-disclosure-without-a-legal-basis', async () => {
    const before = await treeSize(app);
    for (const entry of [
      { actor: SYSTEM_ACTOR, action: 'identity.read' as const, purpose: '  ' },
      { actor: SYSTEM_ACTOR, action: 'identity.disclosed' as const, purpose: 'a court order' },
    ]) {
      await expect(dataSourceOf(app).transaction((em) => ledger.record(em, entry))).rejects.toBeInstanceOf(LedgerError);
    }
    expect(await treeSize(app)).toBe(before);
  });

  it('fifty-concurrent-account-creations-get-the-indices-0-to-n-without-a-gap', async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: `parallel ${i}`, roles: ['technician'] })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    const indices = (await app.sql<{ index: string }>('SELECT index FROM ledger_leaves ORDER BY index')).map((row) => Number(row.index));
    expect(indices).toEqual(indices.map((_, i) => i));
    expect(await treeSize(app)).toBe(indices.length);
    const recorded = (await storedLeaves(app)).filter((leaf) => leaf.action === 'account.created').map((leaf) => leaf.refs.accountId);
    for (const response of responses) expect(recorded.filter((id) => id === response.body.id)).toHaveLength(1);
  });

  it('concurrent-batches-from-the-service-interleave-as-whole-blocks', async () => {
    const dataSource = dataSourceOf(app);
    const before = await treeSize(app);
    const batches = await Promise.all(
      Array.from({ length: 10 }, (_, b) =>
        dataSource.transaction((em) => ledger.recordMany(em, Array.from({ length: 7 }, (_, i) => ({ actor: SYSTEM_ACTOR, action: 'configuration.changed' as const, refs: { batch: b, i } })))),
      ),
    );
    for (const indices of batches) expect(indices).toEqual(indices.map((_, i) => indices[0] + i));
    expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 70 }, (_, i) => before + i));
  });
});

describe('the database keeps the ledger append-only', () => {
  it.each([
    ['UPDATE ledger_leaves SET leaf = leaf WHERE index = 0', /append-only: UPDATE on ledger_leaves/],
    ['DELETE FROM ledger_leaves WHERE index = 0', /append-only: DELETE on ledger_leaves/],
    // CASCADE, since rectifications reference their entries: even emptying those with it is refused.
    ['TRUNCATE ledger_leaves CASCADE', /append-only: TRUNCATE on ledger_leaves/],
    ['UPDATE ledger_nodes SET hash = hash', /append-only: UPDATE on ledger_nodes/],
    ['DELETE FROM ledger_nodes', /append-only: DELETE on ledger_nodes/],
    ['DELETE FROM ledger_checkpoints', /append-only: DELETE on ledger_checkpoints/],
    ['UPDATE ledger_head SET tree_size = 1', /moves only by appending/],
    ['DELETE FROM ledger_personal_values', /can only be erased/],
  ])('refuses %s', async (statement, message) => {
    await expect(app.sql(statement)).rejects.toThrow(message);
  });

  it('refuses-a-leaf-that-leaves-a-gap-or-rewrites-an-index', async () => {
    const size = await treeSize(app);
    const hash = createHash('sha256').update('x').digest();
    await expect(app.sql('INSERT INTO ledger_leaves (index, leaf, leaf_hash) VALUES ($1, $2, $3)', [size + 1, Buffer.from('{}'), hash])).rejects.toThrow(/without a gap/);
    await expect(app.sql('INSERT INTO ledger_leaves (index, leaf, leaf_hash) VALUES ($1, $2, $3)', [0, Buffer.from('{}'), hash])).rejects.toThrow(/duplicate key/);
    expect(await treeSize(app)).toBe(size);
  });
});
