import { createHash, createPublicKey, verify } from 'node:crypto';
import { KEY_MATERIAL } from '../../src/config/config.module';
import type { KeyMaterial } from '../../src/config/config';
import { LedgerReader } from '../../src/ledger/ledger-reader.service';
import { leafHash, merkleRoot, verifyConsistency, verifyInclusion } from '../../src/ledger/merkle';
import { SYSTEM_ACTOR } from '../../src/common/access';
import { LedgerService } from '../../src/ledger/ledger.service';
import { appendEntries, dataSourceOf, treeSize } from '../support/ledger';
import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;
const hex = (text: string) => Buffer.from(text, 'hex');

beforeAll(async () => {
  // Every append signs the tree it leaves (the interval is tested in checkpoint-issuing.int-spec.ts).
  app = await createTestApp({ LANTERNE_CHECKPOINT_INTERVAL_SECONDS: '0' });
  await appendEntries(app, 20);
});
afterAll(() => app.close());

const checkpoint = async () => {
  const response = await app.http.get('/api/v1/ledger/checkpoint');
  expect(response.status).toBe(200);
  return response.body as { treeSize: number; rootHash: string; timestamp: string; signature: string; publicKey: string };
};

const leafHashes = async (): Promise<Buffer[]> => {
  const response = await app.http.get(`/api/v1/ledger/entries?start=0&end=${await treeSize(app)}`).set(bearer(app.adminToken));
  expect(response.status).toBe(200);
  return response.body.map((entry: { leaf: string }) => leafHash(Buffer.from(entry.leaf, 'utf8')));
};

describe('checkpoints', () => {
  it('signs-the-current-tree-head-with-the-instance-key-checkable-with-node-crypto-alone', async () => {
    const cp = await checkpoint();
    expect(cp).toEqual({
      treeSize: 21,
      rootHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      timestamp: '2026-06-01T12:00:00.000Z',
      signature: expect.any(String),
      publicKey: expect.any(String),
      // The C2SP names of the same tree head, added beside the fields JSON clients already read.
      origin: 'localhost/ledger',
      verifierKey: expect.stringMatching(/^localhost\/ledger\+[0-9a-f]{8}\+/),
      witnessPolicy: { witnesses: [], quorum: 0 },
    });
    const published = createPublicKey({ key: Buffer.from(cp.publicKey, 'base64'), format: 'der', type: 'spki' });
    const message = Buffer.from(`lanterne-checkpoint\n${cp.treeSize}\n${cp.rootHash}\n${cp.timestamp}\n`, 'utf8');
    expect(verify(null, message, published, Buffer.from(cp.signature, 'base64'))).toBe(true);
    const configured = app.lanterne.app.get<KeyMaterial>(KEY_MATERIAL).signingKey;
    expect(published.export({ format: 'der', type: 'spki' }).equals(createPublicKey(configured).export({ format: 'der', type: 'spki' }))).toBe(true);
    expect(cp.rootHash).toBe(merkleRoot(await leafHashes()).toString('hex'));
  });

  it('anonymous-reads-store-nothing-whatever-the-second', async () => {
    const count = async () => (await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM ledger_checkpoints'))[0].n;
    const stored = await count();
    const first = await checkpoint();
    for (let second = 1; second <= 30; second++) {
      app.clock.set(new Date(Date.parse('2026-06-01T12:00:00.100Z') + second * 1000));
      expect(await checkpoint()).toEqual(first);
    }
    expect(await count()).toBe(stored);
  });

  it('an-append-signs-the-tree-it-leaves-in-its-own-transaction-and-keeps-every-one-issued', async () => {
    const count = async () => (await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM ledger_checkpoints'))[0].n;
    const before = await checkpoint();
    const stored = await count();
    app.clock.set('2026-06-01T12:01:06.700Z');
    await appendEntries(app, 1);
    const grown = await checkpoint();
    expect(grown).toMatchObject({ treeSize: before.treeSize + 1, timestamp: '2026-06-01T12:01:06.000Z' });
    expect(grown.rootHash).toBe(merkleRoot(await leafHashes()).toString('hex'));
    expect(await count()).toBe(stored + 1);

    // A rolled-back append takes its checkpoint with it.
    await expect(
      dataSourceOf(app).transaction(async (em) => {
        await app.lanterne.app.get(LedgerService).record(em, { actor: SYSTEM_ACTOR, action: 'configuration.changed', refs: { setting: 'rolled back' } });
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await checkpoint()).toEqual(grown);
    expect(await count()).toBe(stored + 1);
  });

  it('gives-the-empty-tree-the-root-of-the-empty-string', async () => {
    const reader = app.lanterne.app.get(LedgerReader);
    expect((await reader.root(0)).equals(createHash('sha256').digest())).toBe(true);
    const proof = await app.http.get('/api/v1/ledger/proofs/consistency?first=0&second=5');
    expect(proof.body).toEqual({ first: 0, second: 5, path: [] });
  });
});

describe('proofs', () => {
  it('every-inclusion-proof-verifies-against-the-signed-root', async () => {
    const cp = await checkpoint();
    const hashes = await leafHashes();
    for (let index = 0; index < cp.treeSize; index++) {
      const response = await app.http.get(`/api/v1/ledger/proofs/inclusion?index=${index}&treeSize=${cp.treeSize}`);
      expect(response.status).toBe(200);
      expect(response.body.index).toBe(index);
      expect(verifyInclusion(hashes[index], index, cp.treeSize, response.body.path.map(hex), hex(cp.rootHash))).toBe(true);
      // The proof is for this leaf only.
      expect(verifyInclusion(hashes[(index + 1) % cp.treeSize], index, cp.treeSize, response.body.path.map(hex), hex(cp.rootHash))).toBe(false);
    }
  });

  it('a-checkpoint-saved-earlier-is-proved-a-prefix-of-today’s', async () => {
    const saved = await checkpoint();
    await appendEntries(app, 11);
    app.clock.advance(1000);
    const today = await checkpoint();
    const response = await app.http.get(`/api/v1/ledger/proofs/consistency?first=${saved.treeSize}&second=${today.treeSize}`);
    expect(response.status).toBe(200);
    expect(verifyConsistency(saved.treeSize, today.treeSize, hex(saved.rootHash), hex(today.rootHash), response.body.path.map(hex))).toBe(true);
    expect(verifyConsistency(saved.treeSize, today.treeSize, Buffer.alloc(32), hex(today.rootHash), response.body.path.map(hex))).toBe(false);
  });

  it('every-consistency-proof-verifies-between-roots-recomputed-from-the-entries', async () => {
    const hashes = await leafHashes();
    const size = hashes.length;
    for (let first = 0; first <= size; first += 3) {
      for (const second of [first, Math.min(size, first + 1), Math.min(size, first + 7), size]) {
        const response = await app.http.get(`/api/v1/ledger/proofs/consistency?first=${first}&second=${second}`);
        expect(response.status).toBe(200);
        const path = response.body.path.map(hex);
        expect(verifyConsistency(first, second, merkleRoot(hashes.slice(0, first)), merkleRoot(hashes.slice(0, second)), path)).toBe(true);
      }
    }
  });
});

describe('entries', () => {
  it('answers-entries-whose-leaf-text-hashes-to-their-leaf-hash', async () => {
    const response = await app.http.get('/api/v1/ledger/entries?start=3&end=6').set(bearer(app.adminToken));
    expect(response.body.map((entry: { index: number }) => entry.index)).toEqual([3, 4, 5]);
    for (const entry of response.body) {
      expect(leafHash(Buffer.from(entry.leaf, 'utf8')).toString('hex')).toBe(entry.leafHash);
      expect(JSON.parse(entry.leaf)).toMatchObject({ index: entry.index, action: 'configuration.changed' });
    }
    expect((await app.http.get('/api/v1/ledger/entries?start=4&end=4').set(bearer(app.adminToken))).body).toEqual([]);
  });

  it('answers-at-most-a-thousand-entries-at-once', async () => {
    await appendEntries(app, 1000);
    const size = await treeSize(app);
    const response = await app.http.get(`/api/v1/ledger/entries?start=1&end=${size}`).set(bearer(app.adminToken));
    expect(response.body).toHaveLength(1000);
    expect(response.body[999].index).toBe(1000);
  });
});

describe('questions without an answer', () => {
  it.each([
    ['/ledger/proofs/inclusion?index=abc&treeSize=3', 'index'],
    ['/ledger/proofs/inclusion?index=-1&treeSize=3', 'index'],
    ['/ledger/proofs/inclusion?index=&treeSize=3', 'index'],
    ['/ledger/proofs/inclusion?treeSize=3', 'index'],
    ['/ledger/proofs/inclusion?index=1.5&treeSize=3', 'index'],
    ['/ledger/proofs/inclusion?index=0&treeSize=99999999999999999999', 'treeSize'],
    ['/ledger/proofs/inclusion?index=3&treeSize=3', 'index'],
    ['/ledger/proofs/consistency?first=5&second=3', 'first'],
    ['/ledger/proofs/consistency?first=1', 'second'],
    ['/ledger/entries?start=5&end=2', 'start'],
    ['/ledger/entries?start=x&end=2', 'start'],
  ])('GET %s is a 400 problem naming %s', async (path, field) => {
    const response = await app.http.get(`/api/v1${path}`).set(bearer(app.adminToken));
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(field);
  });

  it('a-size-the-log-has-not-reached-is-a-404-naming-the-current-size', async () => {
    const size = await treeSize(app);
    for (const path of [`/ledger/proofs/inclusion?index=0&treeSize=${size + 1}`, `/ledger/proofs/consistency?first=1&second=${size + 1}`, `/ledger/entries?start=0&end=${size + 1}`]) {
      const response = await app.http.get(`/api/v1${path}`).set(bearer(app.adminToken));
      expect(response.status).toBe(404);
      expect(response.body).toMatchObject({ type: 'urn:lanterne:problem:ledger-beyond-tree', treeSize: size });
    }
  });
});
