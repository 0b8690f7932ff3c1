import { createHash, generateKeyPairSync, KeyObject } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  formatCheckpointText,
  formatNote,
  formatSignatureLine,
  formatVerifierKey,
  parseCheckpointText,
  parseNote,
  parseSignatureLine,
  SIGNATURE_TYPE,
  signNote,
  verifierKeyOf,
} from '../../src/common/signed-note';
import { checkCheckpointNote, logVerifierKey } from '../../src/ledger/c2sp-checkpoint';
import { signCheckpoint } from '../../src/ledger/checkpoint';
import { runVerifyCommand } from '../../src/cli/verify-command';
import { verifyTlogProof } from '../../src/ledger/tlog-proof';
import { appendEntries } from '../support/ledger';
import { bearer, createTestApp, TestApp } from '../support/test-app';

/**
 * Two associations whose instances witness each other (each its own database): A's checkpoints are
 * cosigned by B's witness and B's by A's; a forked checkpoint of A (same size, another root, signed
 * with A's key) is refused by B and caught by `lanterne verify` holding a witness policy.
 */

const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

interface Side {
  origin: string;
  witnessName: string;
  signingKey: KeyObject;
  witnessKey: KeyObject;
  port: number;
}

const side = async (name: string): Promise<Side> => ({
  origin: `${name}.example/ledger`,
  witnessName: `${name}.example/witness`,
  signingKey: generateKeyPairSync('ed25519').privateKey,
  witnessKey: generateKeyPairSync('ed25519').privateKey,
  port: await freePort(),
});
const logVkey = (s: Side) => formatVerifierKey(verifierKeyOf(s.origin, SIGNATURE_TYPE.ed25519, s.signingKey));
const witnessKeyOf = (s: Side) => verifierKeyOf(s.witnessName, SIGNATURE_TYPE.cosignatureV1, s.witnessKey);
const witnessPrefix = (s: Side) => `http://127.0.0.1:${s.port}/api/v1/witness`;

function environment(self: Side, other: Side): Record<string, string> {
  return {
    PORT: String(self.port),
    LANTERNE_CHECKPOINT_INTERVAL_SECONDS: '0',
    LANTERNE_LOG_ORIGIN: self.origin,
    LANTERNE_SIGNING_KEY: pem(self.signingKey),
    LANTERNE_WITNESS_KEY: pem(self.witnessKey),
    LANTERNE_WITNESS_NAME: self.witnessName,
    LANTERNE_WITNESS_LOGS: logVkey(other),
    LANTERNE_WITNESSES: `${formatVerifierKey(witnessKeyOf(other))} ${witnessPrefix(other)}`,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let sideA: Side;
let sideB: Side;
let a: TestApp;
let b: TestApp;

const textCheckpoint = async (app: TestApp) => (await app.http.get('/api/v1/ledger/checkpoint').set('accept', 'text/plain').expect(200)).text;

/** Waits until A's latest text checkpoint carries B's cosignature; the job runs on A's worker. */
async function cosignedCheckpointOfA(): Promise<string> {
  for (let tries = 0; tries < 150; tries++) {
    const note = await textCheckpoint(a);
    if (note.includes(`\u2014 ${sideB.witnessName} `)) return note;
    await sleep(100);
  }
  throw new Error(`A's checkpoint was not cosigned by B: ${await textCheckpoint(a)}`);
}

const addCheckpoint = (to: TestApp, body: string) => to.http.post('/api/v1/witness/add-checkpoint').set('content-type', 'text/plain; charset=utf-8').send(body);
const witnessRow = async (app: TestApp, origin: string) =>
  (await app.sql<{ tree_size: string; root_hash: Buffer }>('SELECT tree_size, root_hash FROM witness_logs WHERE origin = $1', [origin]))[0];

/** A checkpoint of A's origin that A's key signed: the note a forking log would show a victim. */
function signedByA(treeSize: number, rootHash: Buffer): string {
  const text = formatCheckpointText({ origin: sideA.origin, treeSize, rootHash });
  return formatNote(text, [signNote(text, sideA.origin, sideA.signingKey)]);
}

beforeAll(async () => {
  [sideA, sideB] = [await side('a'), await side('b')];
  [a, b] = await Promise.all([createTestApp(environment(sideA, sideB)), createTestApp(environment(sideB, sideA))]);
}, 60_000);
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

describe('two instances witnessing each other', () => {
  it('each-instance-checkpoint-is-cosigned-by-the-other-and-the-text-checkpoint-carries-the-cosignature', async () => {
    await appendEntries(a, 3);
    await appendEntries(b, 2);
    const note = await cosignedCheckpointOfA();
    const check = checkCheckpointNote(note, logVerifierKey(sideA.origin, sideA.signingKey), { witnesses: [witnessKeyOf(sideB)], quorum: 1 });
    expect(check).toMatchObject({ ok: true, cosigners: [sideB.witnessName] });
    const json = (await a.http.get('/api/v1/ledger/checkpoint').expect(200)).body;
    expect(json).toMatchObject({ origin: sideA.origin, verifierKey: logVkey(sideA), witnessPolicy: { witnesses: [formatVerifierKey(witnessKeyOf(sideB))], quorum: 1 } });
    const body = parseCheckpointText(parseNote(note).text);
    expect({ treeSize: body.treeSize, rootHash: body.rootHash.toString('hex') }).toEqual({ treeSize: json.treeSize, rootHash: json.rootHash });
    // B holds what it cosigned for A, and serves it to monitors at the hash of A's origin.
    const held = await witnessRow(b, sideA.origin);
    expect(Number(held.tree_size)).toBeGreaterThanOrEqual(body.treeSize);
    const originHash = createHash('sha256').update(sideA.origin).digest('hex');
    const monitored = await b.http.get(`/api/v1/witness/${originHash}/checkpoint`).expect(200);
    expect(monitored.text).toContain(`\u2014 ${sideB.witnessName} `);
    expect(await b.sql('SELECT * FROM ledger_cosignatures')).not.toHaveLength(0);
  });

  it('the-verifier-keys-are-served-as-vkeys', async () => {
    expect((await a.http.get('/api/v1/ledger/verifier-key').expect(200)).text).toBe(`${logVkey(sideA)}\n`);
    expect((await b.http.get('/api/v1/witness/verifier-key').expect(200)).text).toBe(`${formatVerifierKey(witnessKeyOf(sideB))}\n`);
  });

  it('a-witness-refuses-a-fork-signed-with-the-log-key-at-the-size-it-cosigned-and-keeps-its-record', async () => {
    const note = await cosignedCheckpointOfA();
    const real = parseCheckpointText(parseNote(note).text);
    const held = await witnessRow(b, sideA.origin);
    const forked = signedByA(Number(held.tree_size), Buffer.alloc(32, 0x42));
    const refused = await addCheckpoint(b, `old ${held.tree_size}\n\n${forked}`);
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/two views/);
    expect(await witnessRow(b, sideA.origin)).toEqual(held);
    expect(real.treeSize).toBeLessThanOrEqual(Number(held.tree_size));
  });

  it('verify-with-a-witness-policy-passes-on-the-real-log-and-fails-on-a-forked-view-served-to-one-client', async () => {
    const out: string[] = [];
    const sink = { write: (text: string) => out.push(text) } as unknown as NodeJS.WritableStream;
    const policy = [`${formatVerifierKey(witnessKeyOf(sideB))} ${witnessPrefix(sideB)}`];
    await cosignedCheckpointOfA();
    expect(await runVerifyCommand({ url: a.lanterne.url as string, witness: policy, quorum: '1' }, sink, sink)).toBe(0);
    expect(out.join('')).toMatch(/cosigned by b\.example\/witness/);

    // A forked view: A's key signs another root at the size B cosigned, served with B's real cosignature line attached.
    const real = await cosignedCheckpointOfA();
    const { treeSize } = parseCheckpointText(parseNote(real).text);
    const rootHash = Buffer.alloc(32, 0x17);
    const witnessLine = parseNote(real).signatures.filter((s) => s.name === sideB.witnessName).map((s) => formatSignatureLine(s));
    const fork = await forkedServer(treeSize, rootHash, witnessLine.join(''));
    try {
      out.length = 0;
      expect(await runVerifyCommand({ url: fork.url, witness: policy.map((p) => p.split(' ')[0]), quorum: '1' }, sink, sink)).toBe(1);
      expect(out.join('')).toMatch(/b\.example\/witness cosigned another tree .*split view/);
      // Without the cosignature the fork has none to show; with B's monitoring URL, what B saw betrays it anyway.
      fork.cosignatures = '';
      out.length = 0;
      expect(await runVerifyCommand({ url: fork.url, witness: policy.map((p) => p.split(' ')[0]), quorum: '1' }, sink, sink)).toBe(1);
      expect(out.join('')).toMatch(/0 of the 1 witness cosignatures/);
      out.length = 0;
      expect(await runVerifyCommand({ url: fork.url, witness: policy, quorum: '0' }, sink, sink)).toBe(1);
      expect(out.join('')).toMatch(/split view/);
    } finally {
      await fork.close();
    }
  });

  it('an-inclusion-proof-as-tlog-proof-verifies-offline-with-the-witness-policy', async () => {
    const note = await cosignedCheckpointOfA();
    const { treeSize } = parseCheckpointText(parseNote(note).text);
    const [entry] = (await a.http.get('/api/v1/ledger/entries').set(bearer(a.adminToken)).query({ start: '1', end: '2' }).expect(200)).body;
    const proof = await a.http.get('/api/v1/ledger/proofs/inclusion').query({ index: '1', treeSize: String(treeSize), format: 'tlog-proof' }).expect(200);
    expect(proof.headers['content-type']).toMatch(/^text\/plain/);
    const viaAccept = await a.http.get('/api/v1/ledger/proofs/inclusion').set('accept', 'text/plain').query({ index: '1', treeSize: String(treeSize) }).expect(200);
    expect(viaAccept.text).toBe(proof.text);
    const policy = { witnesses: [witnessKeyOf(sideB)], quorum: 1 };
    const logKey = logVerifierKey(sideA.origin, sideA.signingKey);
    expect(verifyTlogProof(proof.text, Buffer.from(entry.leafHash, 'hex'), logKey, policy)).toMatchObject({ ok: true, index: 1, treeSize, cosigners: [sideB.witnessName] });
    expect(verifyTlogProof(proof.text, Buffer.alloc(32), logKey, policy)).toMatchObject({ ok: false, reason: expect.stringMatching(/does not bind/) });
    expect(verifyTlogProof(proof.text.replace(/^index 1$/m, 'index 2'), Buffer.from(entry.leafHash, 'hex'), logKey, policy).ok).toBe(false);
    expect(verifyTlogProof(proof.text, Buffer.from(entry.leafHash, 'hex'), logKey, { ...policy, quorum: 2, witnesses: [...policy.witnesses, witnessKeyOf(sideA)] }).ok).toBe(false);
    // JSON clients see the proof as before.
    expect((await a.http.get('/api/v1/ledger/proofs/inclusion').query({ index: '1', treeSize: String(treeSize) }).expect(200)).body).toMatchObject({ index: 1, treeSize });
  });

  it('a-tlog-proof-for-a-size-no-checkpoint-was-signed-at-is-a-404-naming-the-latest', async () => {
    // Three entries in one transaction: one checkpoint, at the size after the three, none between.
    const [first] = await appendEntries(a, 3);
    const answer = await a.http.get('/api/v1/ledger/proofs/inclusion').query({ index: '0', treeSize: String(first + 1), format: 'tlog-proof' });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ type: 'urn:lanterne:problem:ledger-no-checkpoint', treeSize: first + 3 });
  });
});

describe('add-checkpoint refuses what the specification refuses, writing nothing', () => {
  let held: { tree_size: string; root_hash: Buffer };
  let latest: string;
  beforeAll(async () => {
    latest = await cosignedCheckpointOfA();
    held = await witnessRow(b, sideA.origin);
  });
  afterEach(async () => {
    expect(await witnessRow(b, sideA.origin)).toEqual(held);
  });

  it('a-malformed-body-is-a-400', async () => {
    for (const body of ['', 'old\n\n', `old 01\n\n${latest}`, `old 0\n${latest}`, `old 0\n\nnot a note\n`]) {
      const answer = await addCheckpoint(b, body);
      expect({ body, status: answer.status, type: answer.body.type }).toEqual({ body, status: 400, type: 'urn:lanterne:problem:witness-malformed-request' });
    }
  });

  it('an-old-size-above-the-checkpoint-size-is-a-400', async () => {
    const { treeSize } = parseCheckpointText(parseNote(latest).text);
    expect((await addCheckpoint(b, `old ${treeSize + 1}\n\n${latest}`)).status).toBe(400);
  });

  it('a-checkpoint-for-an-unknown-origin-is-a-404', async () => {
    const text = formatCheckpointText({ origin: 'elsewhere.example/log', treeSize: 1, rootHash: Buffer.alloc(32) });
    const answer = await addCheckpoint(b, `old 0\n\n${formatNote(text, [signNote(text, 'elsewhere.example/log', sideA.signingKey)])}`);
    expect(answer.status).toBe(404);
    expect(answer.body.type).toBe('urn:lanterne:problem:witness-unknown-origin');
  });

  it('a-bad-or-missing-log-signature-is-a-403', async () => {
    const note = parseNote(latest);
    const logLine = note.signatures.find((s) => s.name === sideA.origin)!;
    const flipped = { ...logLine, signature: Buffer.from(logLine.signature.map((byte, i) => (i === 0 ? byte ^ 1 : byte))) };
    expect((await addCheckpoint(b, `old ${held.tree_size}\n\n${formatNote(note.text, [flipped])}`)).status).toBe(403);
    const stranger = generateKeyPairSync('ed25519').privateKey;
    expect((await addCheckpoint(b, `old ${held.tree_size}\n\n${formatNote(note.text, [signNote(note.text, sideA.origin, stranger)])}`)).status).toBe(403);
  });

  it('an-old-size-that-does-not-match-is-a-409-giving-the-size-as-text-x-tlog-size', async () => {
    const answer = await addCheckpoint(b, `old 0\n\n${latest}`);
    expect(answer.status).toBe(409);
    expect(answer.headers['content-type']).toMatch(/^text\/x\.tlog\.size/);
    expect(answer.text).toBe(`${held.tree_size}\n`);
  });

  it('a-proof-that-does-not-verify-is-a-422', async () => {
    const heldSize = Number(held.tree_size);
    const bigger = signedByA(heldSize + 2, Buffer.alloc(32, 9));
    const answer = await addCheckpoint(b, `old ${heldSize}\n${Buffer.alloc(32, 1).toString('base64')}\n\n${bigger}`);
    expect(answer.status).toBe(422);
    expect(answer.body.type).toBe('urn:lanterne:problem:witness-inconsistent-checkpoint');
  });

  it('bodies-other-than-utf-8-text-are-refused', async () => {
    expect((await b.http.post('/api/v1/witness/add-checkpoint').set('content-type', 'application/json').send({ old: 0 })).status).toBe(415);
    expect((await b.http.post('/api/v1/witness/add-checkpoint').set('content-type', 'text/plain').send(Buffer.from([0x6f, 0x6c, 0x64, 0x20, 0xff, 0x0a]))).status).toBe(400);
    expect((await b.http.post('/api/v1/witness/add-checkpoint').set('content-type', 'text/plain').send('x'.repeat(70 * 1024))).status).toBe(413);
    // Other routes still read JSON only.
    expect((await b.http.post('/api/v1/subscribers').set(bearer(b.adminToken)).set('content-type', 'text/plain').send('{}')).status).toBe(415);
  });

  it('a-monitoring-request-for-an-origin-never-cosigned-is-a-404-and-a-bad-hash-a-400', async () => {
    expect((await b.http.get(`/api/v1/witness/${'0'.repeat(64)}/checkpoint`)).status).toBe(404);
    expect((await b.http.get('/api/v1/witness/not-a-hash/checkpoint')).status).toBe(400);
  });
});

describe('concurrent adds for one log are serialised', () => {
  it('two-adds-from-the-same-old-size-cosign-one-and-answer-the-other-409', async () => {
    // C: a log only B follows here, fed by hand, so nothing else moves B's record of it.
    const origin = 'c.example/ledger';
    const key = generateKeyPairSync('ed25519').privateKey;
    const c = await createTestApp({ ...environment(sideB, { ...sideA, origin, signingKey: key }), PORT: '0', LANTERNE_LOG_ORIGIN: 'b2.example/ledger', LANTERNE_WITNESSES: '' });
    try {
      const note = (size: number) => {
        const text = formatCheckpointText({ origin, treeSize: size, rootHash: size === 0 ? createHash('sha256').digest() : Buffer.alloc(32, size) });
        return formatNote(text, [signNote(text, origin, key)]);
      };
      const answers = await Promise.all([1, 2].map((size) => addCheckpoint(c, `old 0\n\n${note(size)}`)));
      expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
      const [{ tree_size }] = await c.sql<{ tree_size: string }>('SELECT tree_size FROM witness_logs WHERE origin = $1', [origin]);
      const won = answers.find((r) => r.status === 200)!;
      const lost = answers.find((r) => r.status === 409)!;
      expect(lost.text).toBe(`${tree_size}\n`);
      const line = parseSignatureLine(won.text.trimEnd());
      expect(line.name).toBe(sideB.witnessName);
      // The cosignature is over the checkpoint that won, with a timestamp.
      const cosigned = checkCheckpointNote(`${note(Number(tree_size))}${won.text}`, logVerifierKey(origin, key), { witnesses: [witnessKeyOf(sideB)], quorum: 1 });
      expect(cosigned.ok).toBe(true);
    } finally {
      await c.close();
    }
  });
});

/** A server posing as A to one client: the JSON and text checkpoints of a forked tree, both signed with A's key. */
async function forkedServer(treeSize: number, rootHash: Buffer, cosignatures: string) {
  const checkpoint = signCheckpoint(sideA.signingKey, { treeSize, rootHash, timestamp: new Date('2026-06-01T12:00:00Z') });
  const state = { cosignatures };
  const server: Server = createServer((request, response) => {
    if (request.url?.startsWith('/api/v1/ledger/checkpoint')) {
      if (request.headers.accept === 'text/plain') response.writeHead(200, { 'content-type': 'text/plain' }).end(`${signedByA(treeSize, rootHash)}${state.cosignatures}`);
      else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(checkpoint));
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    set cosignatures(lines: string) {
      state.cosignatures = lines;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
