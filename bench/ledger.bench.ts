import { createHash, generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { SystemClock } from '../src/common/clock';
import { loadConfig } from '../src/config/config';
import { AfterCommit } from '../src/database/after-commit';
import { CheckpointService } from '../src/ledger/checkpoint.service';
import { encodeEntry, LedgerEntry } from '../src/ledger/ledger-entry';
import { LedgerReader } from '../src/ledger/ledger-reader.service';
import { LedgerVerifier } from '../src/ledger/ledger-verifier.service';
import { LedgerService } from '../src/ledger/ledger.service';
import { leafHash, RootAccumulator, TreeNode } from '../src/ledger/merkle';
import { durationMs, interleavedMediansMs, reportFigure, reportRatio, withMigratedDatabase } from './support';

const APPENDED = 100_000;
const BATCH = 1_000;
const SINGLE = 2_000;
const VERIFIED = 1_000_000;

/**
 * The ledger against plain PostgreSQL and plain hashing, in one run, on a database of its own:
 * appends (batched and one per transaction) against INSERTs of the same rows; a full verify of
 * 1,000,000 leaves against SHA-256 of the same bytes; an inclusion proof at 1,000,000 against 1,000.
 */
export async function run(): Promise<void> {
  await withMigratedDatabase(async (dataSource) => {
    const clock = new SystemClock();
    const keys = { masterKey: randomBytes(32), signingKey: generateKeyPairSync('ed25519').privateKey };
    const reader = new LedgerReader(dataSource);
    // Appends sign a checkpoint at most every 10 s, as in production by default.
    const checkpoints = new CheckpointService(dataSource, reader, clock, keys, loadConfig({}), new AfterCommit(dataSource));
    const ledger = new LedgerService(clock, keys, checkpoints);
    const verifier = new LedgerVerifier(dataSource, checkpoints, keys);

    await benchAppends(dataSource, ledger);
    const leaves = await populate(dataSource);
    // A signed root for the verify to hold the recomputed tree against, as in production.
    await checkpoints.issueIfBehind();
    await benchVerify(dataSource, verifier, leaves);
    await benchProofs(reader);
  });
}

/** Entries shaped like an account creation: ids, roles, and one personal value. */
function accountEntry(i: number): LedgerEntry {
  return {
    actor: { id: randomUUID(), role: 'admin' },
    action: 'account.created',
    subject: randomUUID(),
    refs: { accountId: randomUUID(), roles: ['technician'] },
    personal: { name: `Member number ${i}` },
  };
}

async function benchAppends(dataSource: DataSource, ledger: LedgerService): Promise<void> {
  const entries = Array.from({ length: APPENDED + SINGLE }, (_, i) => accountEntry(i));
  const batched = await durationMs(async () => {
    for (let start = 0; start < APPENDED; start += BATCH) {
      await dataSource.transaction((em) => ledger.recordMany(em, entries.slice(start, start + BATCH)));
    }
  });
  const single = await durationMs(async () => {
    for (let i = APPENDED; i < APPENDED + SINGLE; i++) await dataSource.transaction((em) => ledger.record(em, entries[i]));
  });

  // The baseline writes the very rows the ledger wrote (leaves and sealed personal values) into
  // tables of the same shape, without the tree, the lock or the triggers, in the same transactions.
  await dataSource.query('CREATE TABLE plain_leaves (LIKE ledger_leaves INCLUDING ALL)');
  await dataSource.query('CREATE TABLE plain_personal_values (LIKE ledger_personal_values INCLUDING ALL)');
  const rows: { index: string; leaf: Buffer; leaf_hash: Buffer; subject: string }[] = await dataSource.query('SELECT index, leaf, leaf_hash, subject FROM ledger_leaves ORDER BY index');
  const personal: { leaf_index: string; name: string; sealed: Buffer }[] = await dataSource.query('SELECT leaf_index, name, sealed FROM ledger_personal_values ORDER BY leaf_index');
  const insertPlain = async (em: EntityManager, from: number, to: number) => {
    const l = rows.slice(from, to);
    const p = personal.slice(from, to);
    await em.query('INSERT INTO plain_leaves SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::uuid[])', [l.map((r) => r.index), l.map((r) => r.leaf), l.map((r) => r.leaf_hash), l.map((r) => r.subject)]);
    await em.query('INSERT INTO plain_personal_values (leaf_index, name, sealed) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[])', [p.map((r) => r.leaf_index), p.map((r) => r.name), p.map((r) => r.sealed)]);
  };
  const plainBatched = await durationMs(async () => {
    for (let start = 0; start < APPENDED; start += BATCH) await dataSource.transaction((em) => insertPlain(em, start, start + BATCH));
  });
  const plainSingle = await durationMs(async () => {
    for (let i = APPENDED; i < APPENDED + SINGLE; i++) await dataSource.transaction((em) => insertPlain(em, i, i + 1));
  });
  reportRatio(
    `append ${APPENDED.toLocaleString('en')} entries, ${BATCH.toLocaleString('en')} per transaction`,
    { label: 'LedgerService.recordMany', ms: batched },
    { label: 'plain INSERTs of the same rows', ms: plainBatched },
    3,
  );
  reportRatio(
    `append ${SINGLE.toLocaleString('en')} entries, one per transaction (one per recorded action)`,
    { label: 'LedgerService.record', ms: single },
    { label: 'plain INSERTs of the same rows', ms: plainSingle },
    3,
  );
}

/** The leaf bytes of the whole log, end to end, so that the baseline keeps no million small objects alive. */
interface AllLeaves {
  bytes: Buffer;
  /** Leaf i is bytes[offsets[i], offsets[i + 1]). */
  offsets: Float64Array;
}

/** Grows the log to VERIFIED leaves: leaves and nodes computed here, written in large unnest INSERTs. */
async function populate(dataSource: DataSource): Promise<AllLeaves> {
  let leaves: Buffer[] = [];
  const accumulator = new RootAccumulator();
  const ms = await durationMs(async () => {
    const existing: { leaf: Buffer }[] = await dataSource.query('SELECT leaf FROM ledger_leaves ORDER BY index');
    for (const { leaf } of existing) {
      leaves.push(leaf);
      accumulator.append(leafHash(leaf));
    }
    const at = new Date();
    while (leaves.length < VERIFIED) {
      const batch: { index: number; leaf: Buffer; hash: Buffer }[] = [];
      const nodes: TreeNode[] = [];
      for (let n = 0; n < 25_000 && leaves.length < VERIFIED; n++) {
        const index = leaves.length;
        const { leaf } = encodeEntry(index, at, { actor: { id: randomUUID(), role: 'ccj' }, action: 'identity.read', subject: randomUUID(), purpose: 'synthetic benchmark entry' });
        const hash = leafHash(leaf);
        leaves.push(leaf);
        batch.push({ index, leaf, hash });
        nodes.push(...accumulator.append(hash));
      }
      await dataSource.query('INSERT INTO ledger_leaves (index, leaf, leaf_hash) SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[])', [batch.map((b) => b.index), batch.map((b) => b.leaf), batch.map((b) => b.hash)]);
      await dataSource.query('INSERT INTO ledger_nodes (level, index, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])', [nodes.map((n) => n.level), nodes.map((n) => n.index), nodes.map((n) => n.hash)]);
    }
    // A real ledger's rows are long settled; a fresh bulk load would otherwise be rewritten by its first reader.
    await dataSource.query('VACUUM ANALYZE ledger_leaves');
    await dataSource.query('VACUUM ANALYZE ledger_nodes');
  });
  reportFigure(`populate to ${VERIFIED.toLocaleString('en')} leaves (not measured against anything)`, `${(ms / 1000).toFixed(1)} s`);
  const offsets = new Float64Array(leaves.length + 1);
  leaves.forEach((leaf, i) => (offsets[i + 1] = offsets[i] + leaf.length));
  const bytes = Buffer.concat(leaves);
  leaves = [];
  return { bytes, offsets };
}

async function benchVerify(dataSource: DataSource, verifier: LedgerVerifier, { bytes, offsets }: AllLeaves): Promise<void> {
  const count = offsets.length - 1;
  let result: Awaited<ReturnType<LedgerVerifier['verify']>> | undefined;
  const verify = await durationMs(async () => {
    result = await verifier.verify();
  });
  if (!result?.ok || result.treeSize !== count) throw new Error(`verify failed on an untouched log: ${JSON.stringify(result)}`);
  const hashing = await durationMs(async () => {
    for (let i = 0; i < count; i++) createHash('sha256').update(bytes.subarray(offsets[i], offsets[i + 1])).digest();
  });
  const reading = await durationMs(async () => {
    for (let start = 0; start < count; start += 8192) await dataSource.query('SELECT leaf FROM ledger_leaves WHERE index >= $1 AND index < $2', [start, start + 8192]);
  });
  reportRatio(
    `verify ${count.toLocaleString('en')} leaves`,
    { label: 'GET /ledger/verify (LedgerVerifier.verify)', ms: verify },
    { label: 'SHA-256 of the same leaf bytes in memory, node:crypto alone', ms: hashing },
    2,
  );
  reportFigure('  for scale: reading the same leaf bytes from PostgreSQL alone (a row each), no hashing', `${reading.toFixed(0)} ms`);
}

async function benchProofs(reader: LedgerReader): Promise<void> {
  const runs = 300;
  // Interleaved, so that whatever else loads the machine weighs on both sizes alike.
  const [large, small] = await interleavedMediansMs(
    runs,
    () => reader.inclusionProof(Math.floor(Math.random() * VERIFIED), VERIFIED),
    () => reader.inclusionProof(Math.floor(Math.random() * 1000), 1000),
  );
  reportRatio(`inclusion proof (median of ${runs})`, { label: `at ${VERIFIED.toLocaleString('en')} entries`, ms: large }, { label: 'at 1,000 entries', ms: small }, 2);
}

