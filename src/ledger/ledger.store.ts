/**
 * The ledger's SQL, as plain functions over the caller's EntityManager (and so its transaction).
 * Arrays go in through unnest, so an append of any number of entries is a fixed number of statements.
 */
import type { EntityManager } from 'typeorm';
import type { NotedCheckpoint } from './c2sp-checkpoint';
import type { Checkpoint } from './checkpoint';
import type { StoredNode } from './log-audit';
import { HASH_SIZE, NodeCoordinate, nodeHashesOf, TreeNode } from './merkle';

export interface LeafRow {
  index: number;
  leaf: Buffer;
  leafHash: Buffer;
}

export interface AppendedLeaf extends LeafRow {
  subject: string | null;
}

export interface SealedPersonalValue {
  leafIndex: number;
  name: string;
  sealed: Buffer;
}

/**
 * Locks the head row until the caller's transaction ends (appends queue up behind it) and reads the
 * right edge of the tree at that size (`rootNodes`), in one round trip: see ledger_lock_right_edge.
 */
export async function lockTreeEdge(em: EntityManager): Promise<{ treeSize: number; edge: Map<string, Buffer> }> {
  const rows: { head_size: string; node_level: number | null; node_index: string | null; node_hash: Buffer | null }[] = await em.query(
    'SELECT * FROM ledger_lock_right_edge()',
  );
  const treeSize = Number(rows[0].head_size);
  const found = rows.filter((row) => row.node_hash !== null);
  return { treeSize, edge: nodeHashesOf(found.map((row) => ({ level: Number(row.node_level), index: Number(row.node_index), hash: row.node_hash as Buffer }))) };
}

/** Every node of a tree of this size is committed before the head shows the size, so no lock is needed. */
export async function readTreeSize(em: EntityManager): Promise<number> {
  const [{ tree_size }] = await em.query('SELECT tree_size FROM ledger_head');
  return Number(tree_size);
}

/** The hashes of the given nodes, in one query, keyed by `nodeKey`. */
export async function readNodes(em: EntityManager, coordinates: readonly NodeCoordinate[]): Promise<Map<string, Buffer>> {
  if (coordinates.length === 0) return new Map();
  const rows: { level: number; index: string; hash: Buffer }[] = await em.query(
    `SELECT level, index, n.hash FROM unnest($1::smallint[], $2::bigint[]) AS c(level, index) JOIN ledger_nodes n USING (level, index)`,
    [coordinates.map((c) => c.level), coordinates.map((c) => c.index)],
  );
  return nodeHashesOf(rows.map((row) => ({ level: row.level, index: Number(row.index), hash: row.hash })));
}

/*
 * Bulk reads come back packed into one value per query, fixed-width fields first, in base64 (a third
 * smaller than bytea's hex, and faster to decode; Buffer.from skips the line breaks PostgreSQL adds):
 * the driver then decodes one value instead of thousands of rows, most of what a full verify would cost.
 * (pg's binary result format is no way out: its parser decodes every value as UTF-8 text first.)
 */
const unpack = (packed: string | null) => Buffer.from(packed ?? '', 'base64');

/** Node (level, i) is completed by leaf (i + 1)·2^level − 1; this is the first one completed from `start`. */
const firstCompletedAt = (start: number, level: number) => Math.floor((start + 2 ** level) / 2 ** level) - 1;

/**
 * Leaves [start, end) of a full verify, packed end to end in index order. Each leaf's bytes come with
 * the 0x00 prefix of its leaf hash input, so hashing one needs neither a copy nor an allocation.
 */
export interface PackedLeaves {
  bytes: Buffer;
}

/** Index ‖ length of (0x00 ‖ leaf) ‖ leaf hash ‖ 0x00 ‖ leaf. */
export const PACKED_LEAF_HEADER = 12 + HASH_SIZE;

/**
 * What a full verify reads for leaves [start, end): the leaves, and the stored nodes they complete
 * (one index range scan per level; OFFSET 0 keeps the planner from flattening the lateral subquery into
 * a join over the whole table).
 */
export async function readVerifyBatch(em: EntityManager, start: number, end: number, maxLevel: number): Promise<{ leaves: PackedLeaves; stored: StoredNode }> {
  // Two statements on two connections, so that two backends gather them side by side.
  const [[{ leaves }], [{ nodes: packedNodes }]]: [{ leaves: string | null }[], { nodes: string | null }[]] = await Promise.all([
    em.query(
      `SELECT encode(string_agg(int8send(index) || int4send(octet_length(leaf) + 1) || leaf_hash || '\\x00'::bytea || leaf, ''::bytea ORDER BY index), 'base64') AS leaves
         FROM ledger_leaves WHERE index >= $1 AND index < $2`,
      [start, end],
    ),
    em.query(
      `SELECT encode(string_agg(int2send(n.level) || int8send(n.index) || n.hash, ''::bytea), 'base64') AS nodes
         FROM generate_series(0, $3::int) AS l(level)
         CROSS JOIN LATERAL (
           SELECT level, index, hash FROM ledger_nodes
            WHERE level = l.level
              AND index >= (($1::bigint + (1::bigint << l.level)) >> l.level) - 1
              AND index <= ($2::bigint >> l.level) - 1
           OFFSET 0
         ) n`,
      [start, end, maxLevel],
    ),
  ]);
  const nodes = unpack(packedNodes);
  // Per level, by offset from the first node the range completes there: cheaper than a map.
  const levels: Buffer[][] = Array.from({ length: maxLevel + 1 }, () => []);
  for (let at = 0; at < nodes.length; at += 10 + HASH_SIZE) {
    const level = nodes.readInt16BE(at);
    levels[level][nodes.readUInt32BE(at + 2) * 2 ** 32 + nodes.readUInt32BE(at + 6) - firstCompletedAt(start, level)] = nodes.subarray(at + 10, at + 10 + HASH_SIZE);
  }
  return { leaves: { bytes: unpack(leaves) }, stored: (level, index) => levels[level]?.[index - firstCompletedAt(start, level)] };
}

/** Leaves [start, end) in index order, each as index ‖ length ‖ leaf hash ‖ leaf. */
export async function readLeaves(em: EntityManager, start: number, end: number): Promise<LeafRow[]> {
  const [{ packed }]: { packed: string | null }[] = await em.query(
    `SELECT encode(string_agg(int8send(index) || int4send(octet_length(leaf)) || leaf_hash || leaf, ''::bytea ORDER BY index), 'base64') AS packed
       FROM ledger_leaves WHERE index >= $1 AND index < $2`,
    [start, end],
  );
  const bytes = unpack(packed);
  const rows: LeafRow[] = [];
  for (let at = 0; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at + 8);
    const leafAt = at + 12 + HASH_SIZE;
    rows.push({ index: Number(bytes.readBigInt64BE(at)), leafHash: bytes.subarray(at + 12, leafAt), leaf: bytes.subarray(leafAt, leafAt + length) });
    at = leafAt + length;
  }
  return rows;
}

/**
 * The leaves below `below` whose actor acted as admin, ccj, observer or the system (the public view
 * of admin actions, see migration Governance1764300600000), newest first, with how many there are.
 */
export async function readAdminActionLeaves(em: EntityManager, below: number, limit: number, offset: number): Promise<{ rows: LeafRow[]; total: number }> {
  const [rows, [{ total }]]: [{ index: string; leaf: Buffer; leaf_hash: Buffer }[], { total: number }[]] = await Promise.all([
    em.query(
      `SELECT index, leaf, leaf_hash FROM ledger_leaves WHERE ledger_is_admin_action(leaf) AND index < $1 ORDER BY index DESC LIMIT $2 OFFSET $3`,
      [below, limit, offset],
    ),
    em.query(`SELECT count(*)::int AS total FROM ledger_leaves WHERE ledger_is_admin_action(leaf) AND index < $1`, [below]),
  ]);
  return { rows: rows.map((row) => ({ index: Number(row.index), leaf: row.leaf, leafHash: row.leaf_hash })), total };
}

export async function readLeaf(em: EntityManager, index: number): Promise<Buffer | null> {
  const [row] = await em.query('SELECT leaf FROM ledger_leaves WHERE index = $1', [index]);
  return row ? (row.leaf as Buffer) : null;
}

/**
 * One statement: the leaves' insert trigger, which checks that they extend the head without a gap and
 * moves it, runs at its end; the subtree nodes and sealed personal values go in with them.
 */
export async function insertAppended(em: EntityManager, leaves: AppendedLeaf[], nodes: TreeNode[], personal: SealedPersonalValue[]): Promise<void> {
  await em.query(
    `WITH leaves AS (
       INSERT INTO ledger_leaves (index, leaf, leaf_hash, subject) SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::uuid[])
     ), nodes AS (
       INSERT INTO ledger_nodes (level, index, hash) SELECT * FROM unnest($5::smallint[], $6::bigint[], $7::bytea[])
     )
     INSERT INTO ledger_personal_values (leaf_index, name, sealed) SELECT * FROM unnest($8::bigint[], $9::text[], $10::bytea[])`,
    [
      leaves.map((l) => l.index),
      leaves.map((l) => l.leaf),
      leaves.map((l) => l.leafHash),
      leaves.map((l) => l.subject),
      nodes.map((n) => n.level),
      nodes.map((n) => n.index),
      nodes.map((n) => n.hash),
      personal.map((p) => p.leafIndex),
      personal.map((p) => p.name),
      personal.map((p) => p.sealed),
    ],
  );
}

interface CheckpointRow {
  tree_size: string;
  issued_at: Date;
  root_hash: Buffer;
  signature: Buffer;
  public_key: string;
}

const CHECKPOINT_COLUMNS = 'tree_size, issued_at, root_hash, signature, public_key';

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    treeSize: Number(row.tree_size),
    rootHash: row.root_hash.toString('hex'),
    timestamp: row.issued_at.toISOString(),
    signature: row.signature.toString('base64'),
    publicKey: row.public_key,
  };
}

/**
 * Stores a signed tree head. Two writers may sign the same head in the same second: Ed25519 signatures
 * are deterministic, so both signed the same bytes and the first row stands for both.
 */
export async function insertCheckpoint(em: EntityManager, { checkpoint, origin, noteSignature }: NotedCheckpoint): Promise<void> {
  await em.query(
    `INSERT INTO ledger_checkpoints (${CHECKPOINT_COLUMNS}, origin, note_signature) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tree_size, issued_at) DO NOTHING`,
    [checkpoint.treeSize, new Date(checkpoint.timestamp), Buffer.from(checkpoint.rootHash, 'hex'), Buffer.from(checkpoint.signature, 'base64'), checkpoint.publicKey, origin, noteSignature],
  );
}

/** The largest tree signed as a C2SP note for this origin (at its latest signing), or the one at `treeSize`. */
export async function readNotedCheckpoint(em: EntityManager, origin: string, treeSize?: number): Promise<NotedCheckpoint | null> {
  const [row]: (CheckpointRow & { origin: string; note_signature: Buffer })[] = await em.query(
    `SELECT ${CHECKPOINT_COLUMNS}, origin, note_signature FROM ledger_checkpoints
      WHERE origin = $1 AND ($2::bigint IS NULL OR tree_size = $2) ORDER BY tree_size DESC, issued_at DESC LIMIT 1`,
    [origin, treeSize ?? null],
  );
  return row ? { checkpoint: toCheckpoint(row), origin: row.origin, noteSignature: row.note_signature } : null;
}

export interface StoredCosignature {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
  witnessVkey: string;
  line: string;
  cosignedAt: Date;
}

/** Kept once per witness and tree: asking again for the same tree adds nothing. */
export async function insertCosignature(em: EntityManager, c: StoredCosignature): Promise<void> {
  await em.query(
    `INSERT INTO ledger_cosignatures (origin, tree_size, root_hash, witness_vkey, line, cosigned_at) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT DO NOTHING`,
    [c.origin, c.treeSize, c.rootHash, c.witnessVkey, c.line, c.cosignedAt],
  );
}

/** The cosignature lines of one tree, by witness (vkey), oldest cosignature first. */
export async function readCosignatures(em: EntityManager, origin: string, treeSize: number, rootHash: Buffer): Promise<{ witnessVkey: string; line: string }[]> {
  const rows: { witness_vkey: string; line: string }[] = await em.query(
    'SELECT witness_vkey, line FROM ledger_cosignatures WHERE origin = $1 AND tree_size = $2 AND root_hash = $3 ORDER BY cosigned_at, witness_vkey',
    [origin, treeSize, rootHash],
  );
  return rows.map((row) => ({ witnessVkey: row.witness_vkey, line: row.line }));
}

/** The largest tree this witness cosigned for the origin (0 when none): the `old` size it expects. */
export async function readLastCosignedSize(em: EntityManager, origin: string, witnessVkey: string): Promise<number> {
  const [{ size }]: { size: string }[] = await em.query(
    'SELECT coalesce(max(tree_size), 0) AS size FROM ledger_cosignatures WHERE origin = $1 AND witness_vkey = $2',
    [origin, witnessVkey],
  );
  return Number(size);
}

/** The largest tree signed, at its latest signing: a backward scan of the primary key. */
export async function readLatestCheckpoint(em: EntityManager): Promise<Checkpoint | null> {
  const [row]: CheckpointRow[] = await em.query(`SELECT ${CHECKPOINT_COLUMNS} FROM ledger_checkpoints ORDER BY tree_size DESC, issued_at DESC LIMIT 1`);
  return row ? toCheckpoint(row) : null;
}

/** One stored checkpoint per distinct (size, root) up to `treeSize`, smallest first. */
export async function readDistinctCheckpoints(em: EntityManager, treeSize: number): Promise<Checkpoint[]> {
  const rows: CheckpointRow[] = await em.query(
    `SELECT DISTINCT ON (tree_size, root_hash) ${CHECKPOINT_COLUMNS}
       FROM ledger_checkpoints WHERE tree_size <= $1 ORDER BY tree_size, root_hash, issued_at`,
    [treeSize],
  );
  return rows.map(toCheckpoint);
}

export interface HeldPersonalValue {
  name: string;
  /** Null once erased. */
  sealed: Buffer | null;
  erasedAt: Date | null;
}

export async function readPersonalValues(em: EntityManager, leafIndex: number): Promise<HeldPersonalValue[]> {
  const rows: { name: string; sealed: Buffer | null; erased_at: Date | null }[] = await em.query(
    'SELECT name, sealed, erased_at FROM ledger_personal_values WHERE leaf_index = $1',
    [leafIndex],
  );
  return rows.map((row) => ({ name: row.name, sealed: row.sealed, erasedAt: row.erased_at }));
}

/** The leaves whose subject is this subscriber, in index order (the partial index on subject serves it). */
export async function readLeavesAbout(em: EntityManager, subject: string): Promise<{ index: number; leaf: Buffer }[]> {
  const rows: { index: string; leaf: Buffer }[] = await em.query('SELECT index, leaf FROM ledger_leaves WHERE subject = $1 ORDER BY index', [subject]);
  return rows.map((row) => ({ index: Number(row.index), leaf: row.leaf }));
}

/** The personal values held beside these leaves, in one query. */
export async function readPersonalValuesOf(em: EntityManager, leafIndexes: readonly number[]): Promise<(HeldPersonalValue & { leafIndex: number })[]> {
  if (leafIndexes.length === 0) return [];
  const rows: { leaf_index: string; name: string; sealed: Buffer | null; erased_at: Date | null }[] = await em.query(
    'SELECT leaf_index, name, sealed, erased_at FROM ledger_personal_values WHERE leaf_index = ANY ($1::bigint[])',
    [leafIndexes],
  );
  return rows.map((row) => ({ leafIndex: Number(row.leaf_index), name: row.name, sealed: row.sealed, erasedAt: row.erased_at }));
}

/** Erases every personal value held beside the entries about these subscribers; returns how many. */
export async function erasePersonalValuesAbout(em: EntityManager, subscriberIds: readonly string[], at: Date): Promise<number> {
  if (subscriberIds.length === 0) return 0;
  const [{ count }]: { count: number }[] = await em.query(
    `WITH erased AS (
       UPDATE ledger_personal_values p SET sealed = NULL, erased_at = $2
         FROM ledger_leaves l
        WHERE l.index = p.leaf_index AND l.subject = ANY ($1::uuid[]) AND p.sealed IS NOT NULL
       RETURNING 1)
     SELECT count(*)::int AS count FROM erased`,
    [subscriberIds, at],
  );
  return count;
}

/** Held values after (leafIndex, name) in key order, for a rotation to walk them in batches. */
export async function readHeldPersonalValuesAfter(em: EntityManager, after: { leafIndex: number; name: string }, limit: number): Promise<SealedPersonalValue[]> {
  const rows: { leaf_index: string; name: string; sealed: Buffer }[] = await em.query(
    `SELECT leaf_index, name, sealed FROM ledger_personal_values
      WHERE sealed IS NOT NULL AND (leaf_index, name) > ($1, $2) ORDER BY leaf_index, name LIMIT $3 FOR UPDATE`,
    [after.leafIndex, after.name, limit],
  );
  return rows.map((row) => ({ leafIndex: Number(row.leaf_index), name: row.name, sealed: row.sealed }));
}

export async function countHeldPersonalValues(em: EntityManager): Promise<number> {
  const [{ n }]: { n: number }[] = await em.query('SELECT count(*)::int AS n FROM ledger_personal_values WHERE sealed IS NOT NULL');
  return n;
}

/**
 * Replaces sealed values by the same values sealed under a new master key: the one change besides
 * erasure that the table's trigger lets through, and only to a transaction that says it rotates.
 */
export async function resealPersonalValues(em: EntityManager, values: SealedPersonalValue[]): Promise<void> {
  await em.query(`SET LOCAL lanterne.rotating_master_key = 'on'`);
  await em.query(
    `UPDATE ledger_personal_values p SET sealed = r.sealed
       FROM unnest($1::bigint[], $2::text[], $3::bytea[]) AS r (leaf_index, name, sealed)
      WHERE p.leaf_index = r.leaf_index AND p.name = r.name AND p.sealed IS NOT NULL`,
    [values.map((v) => v.leafIndex), values.map((v) => v.name), values.map((v) => v.sealed)],
  );
}
