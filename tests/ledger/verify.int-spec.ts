import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { buildCli } from '../../src/cli/lanterne';
import { runVerifyCommand } from '../../src/cli/verify-command';
import { canonicalJson } from '../../src/ledger/canonical-json';
import { leafHash, RootAccumulator } from '../../src/ledger/merkle';
import { PersonalValuesService } from '../../src/ledger/personal-values.service';
import { verifyRemoteLedger } from '../../src/ledger/remote-verify';
import { makeSubscriber } from '../factories/subscriber.factory';
import { appendEntries, dataSourceOf, tamper } from '../support/ledger';
import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;
let url: string;
let dir: string;
const BAD = 37;

beforeAll(async () => {
  // Every append signs the tree it leaves, so each test sees a checkpoint of the log it built.
  app = await createTestApp({ LANTERNE_CHECKPOINT_INTERVAL_SECONDS: '0' });
  url = app.lanterne.url as string;
  dir = mkdtempSync(join(tmpdir(), 'lanterne-verify-'));
  await appendEntries(app, 60);
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await app.close();
});

const serverVerify = async (token = app.adminToken) => {
  const response = await app.http.get('/api/v1/ledger/verify').set(bearer(token));
  expect(response.status).toBe(200);
  return response.body;
};

const leafRow = async (index: number) => (await app.sql<{ leaf: Buffer; leaf_hash: Buffer }>('SELECT leaf, leaf_hash FROM ledger_leaves WHERE index = $1', [index]))[0];
const forgedLeaf = async (index: number) => canonicalJson({ ...JSON.parse((await leafRow(index)).leaf.toString('utf8')), refs: { setting: 'rewritten' } });

/** Runs `check` while leaf BAD is rewritten as `rewrite` says, then puts the original back. */
async function withTamperedLeaf(rewrite: 'leaf' | 'leaf-and-hash', check: () => Promise<void>) {
  const original = await leafRow(BAD);
  const forged = await forgedLeaf(BAD);
  const hash = rewrite === 'leaf' ? original.leaf_hash : leafHash(forged);
  await tamper(app, ['UPDATE ledger_leaves SET leaf = $2, leaf_hash = $3 WHERE index = $1', [BAD, forged, hash]]);
  try {
    await check();
  } finally {
    await tamper(app, ['UPDATE ledger_leaves SET leaf = $2, leaf_hash = $3 WHERE index = $1', [BAD, original.leaf, original.leaf_hash]]);
  }
}

describe('an untouched log', () => {
  it('verifies-on-the-server-against-every-signed-checkpoint', async () => {
    app.clock.advance(1000);
    await appendEntries(app, 5);
    const result = await serverVerify();
    // Signed with the bootstrap admin's entry, then with each append: 1, 61 and 66 entries.
    expect(result).toEqual({ ok: true, treeSize: 66, checkpointsChecked: 3 });
  });

  it('verifies-from-outside-with-a-token-recomputing-every-entry', async () => {
    const report = await verifyRemoteLedger({ url, token: app.adminToken });
    expect(report).toMatchObject({ ok: true, checkpoint: { treeSize: 66 } });
    expect(report.checked.join('\n')).toContain('all 66 entries recomputed');
    expect(report.warnings.join('\n')).toContain('trusted as is');
  });

  it('verifies-from-outside-without-a-token-by-signature-and-consistency-only', async () => {
    const saved = (await verifyRemoteLedger({ url })).checkpoint;
    await appendEntries(app, 3);
    const report = await verifyRemoteLedger({ url, since: saved });
    expect(report).toMatchObject({ ok: true, checkpoint: { treeSize: 69 } });
    expect(report.checked.join('\n')).toContain('consistency proof from your saved checkpoint (66 entries');
    expect(report.notChecked.join('\n')).toContain('entries themselves: not read');
  });

  it('refuses-a-checkpoint-signed-by-another-key-than-the-pinned-one', async () => {
    const saved = (await verifyRemoteLedger({ url })).checkpoint!;
    const other = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const report = await verifyRemoteLedger({ url, since: { ...saved, publicKey: other } });
    expect(report).toMatchObject({ ok: false, failure: expect.stringContaining('pinned') });
  });

  it('fails-plainly-with-a-token-that-may-not-read-entries-or-an-instance-that-does-not-answer', async () => {
    const technician = await verifyRemoteLedger({ url, token: await app.tokenFor('technician') });
    expect(technician).toMatchObject({ ok: false, failure: 'GET /ledger/entries answered 403: This route is for: admin, ccj, observer.' });
    const nowhere = await verifyRemoteLedger({ url: 'http://127.0.0.1:9' });
    expect(nowhere).toMatchObject({ ok: false, failure: expect.stringContaining('cannot reach http://127.0.0.1:9/api/v1') });
  });

  it('an-erased-personal-value-leaves-the-log-verified', async () => {
    const subscriber = await makeSubscriber(app, await app.tokenFor('technician'));
    await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'To Be Forgotten', roles: ['member'], subscriberId: subscriber.id });
    const erased = await dataSourceOf(app).transaction((em) => app.lanterne.app.get(PersonalValuesService).eraseAbout(em, subscriber.id));
    expect(erased).toBe(1);
    expect(await app.sql('SELECT 1 FROM ledger_personal_values WHERE sealed IS NOT NULL AND leaf_index = (SELECT index FROM ledger_leaves WHERE subject = $1)', [subscriber.id])).toHaveLength(0);
    expect(await serverVerify()).toMatchObject({ ok: true });
    expect(await verifyRemoteLedger({ url, token: app.adminToken })).toMatchObject({ ok: true });

    const [{ index }] = await app.sql<{ index: string }>('SELECT index FROM ledger_leaves WHERE subject = $1', [subscriber.id]);
    const personal = await app.http.get(`/api/v1/ledger/entries/${index}/personal?purpose=retention%20audit`).set(bearer(await app.tokenFor('ccj')));
    expect(personal.body.values).toEqual([{ name: 'name', commitment: expect.stringMatching(/^[0-9a-f]{64}$/), erasedAt: app.clock.now().toISOString() }]);
  });
});

describe('a leaf rewritten in the database', () => {
  it('rewritten-bytes-are-named-by-the-server-and-from-outside', async () => {
    await withTamperedLeaf('leaf', async () => {
      expect(await serverVerify()).toMatchObject({ ok: false, firstBadIndex: BAD });
      expect(await verifyRemoteLedger({ url, token: app.adminToken })).toMatchObject({ ok: false, firstBadIndex: BAD, failure: expect.stringContaining(`entry ${BAD}`) });
    });
    expect(await serverVerify()).toMatchObject({ ok: true });
  });

  it('bytes-rewritten-with-their-leaf-hash-are-still-named-through-the-tree-and-its-proofs', async () => {
    await withTamperedLeaf('leaf-and-hash', async () => {
      expect(await serverVerify()).toMatchObject({ ok: false, firstBadIndex: BAD });
      // The served leaf hashes agree with the served leaves: only the signed root betrays them.
      expect(await verifyRemoteLedger({ url, token: app.adminToken })).toMatchObject({ ok: false, firstBadIndex: BAD });
    });
  });

  it('lanterne-verify-exits-non-zero-naming-the-entry-and-keeps-the-saved-checkpoint', async () => {
    const file = join(dir, 'checkpoint.json');
    const out = new PassThrough();
    const err = new PassThrough();
    expect(await runVerifyCommand({ url, token: app.adminToken, save: file }, out, err)).toBe(0);
    const saved = readFileSync(file, 'utf8');
    expect(JSON.parse(saved)).toMatchObject({ treeSize: expect.any(Number), rootHash: expect.stringMatching(/^[0-9a-f]{64}$/) });

    await withTamperedLeaf('leaf-and-hash', async () => {
      expect(await runVerifyCommand({ url, token: app.adminToken, since: file }, out, err)).toBe(1);
    });
    expect(String(err.read())).toContain(`ledger verification FAILED: entry ${BAD}:`);
    expect(readFileSync(file, 'utf8')).toBe(saved);
  });

  it('lanterne-verify-on-the-command-line-saves-to-the-since-file-on-success', async () => {
    const file = join(dir, 'cli-checkpoint.json');
    writeFileSync(file, JSON.stringify((await verifyRemoteLedger({ url })).checkpoint));
    await appendEntries(app, 2);
    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await buildCli().parseAsync(['node', 'lanterne', 'verify', '--url', url, '--token', app.adminToken, '--since', file]);
      expect(process.exitCode).toBe(0);
    } finally {
      write.mockRestore();
      process.exitCode = undefined;
    }
    const size = Number((await app.sql<{ tree_size: string }>('SELECT tree_size FROM ledger_head'))[0].tree_size);
    expect(JSON.parse(readFileSync(file, 'utf8')).treeSize).toBe(size);
  });

  it('a-stored-checkpoint-without-a-valid-signature-fails-the-server-verify', async () => {
    const [row] = await app.sql<{ tree_size: string; root_hash: Buffer }>('SELECT tree_size, root_hash FROM ledger_checkpoints LIMIT 1');
    const issuedAt = new Date('2020-01-01T00:00:00Z');
    await app.sql('INSERT INTO ledger_checkpoints VALUES ($1, $2, $3, $4, $5)', [row.tree_size, issuedAt, Buffer.alloc(32), Buffer.alloc(64), 'forged']);
    try {
      expect(await serverVerify()).toMatchObject({ ok: false, reason: expect.stringContaining('not signed by this ledger') });
    } finally {
      await tamper(app, ['DELETE FROM ledger_checkpoints WHERE issued_at = $1', [issuedAt]]);
    }
  });
});

describe('a log rewritten together with its whole tree', () => {
  // Runs last: what it rewrites stays rewritten, as after a real attack.
  it('only-the-signed-checkpoints-betray-it', async () => {
    const saved = (await verifyRemoteLedger({ url })).checkpoint!;
    const forged = await forgedLeaf(BAD);
    await tamper(app, ['UPDATE ledger_leaves SET leaf = $2, leaf_hash = $3 WHERE index = $1', [BAD, forged, leafHash(forged)]]);
    const accumulator = new RootAccumulator();
    const leaves = await app.sql<{ leaf_hash: Buffer }>('SELECT leaf_hash FROM ledger_leaves ORDER BY index');
    const nodes = leaves.flatMap((row) => accumulator.append(row.leaf_hash));
    await tamper(app, ['DELETE FROM ledger_nodes'], [
      'INSERT INTO ledger_nodes SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])',
      [nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => n.hash)],
    ]);

    app.clock.advance(60_000);
    expect(await serverVerify()).toMatchObject({ ok: false, reason: expect.stringContaining('do not have the root of the checkpoint signed at') });
    // The public checkpoint still has the root signed before the rewrite, until the next append signs the rewritten tree.
    expect(await verifyRemoteLedger({ url, token: app.adminToken })).toMatchObject({ ok: false });
    await appendEntries(app, 1);
    // A verifier without a saved checkpoint then sees a log consistent with itself: saving one is what protects.
    expect(await verifyRemoteLedger({ url, token: app.adminToken })).toMatchObject({ ok: true });
    expect(await verifyRemoteLedger({ url, token: app.adminToken, since: saved })).toMatchObject({ ok: false, failure: expect.stringContaining('no longer extends your saved checkpoint') });
  });
});
