/**
 * The ledger's SQL, as plain functions over the caller's EntityManager (and so its transaction).
 * Arrays go in through unnest, so an append of any number of entries is a fixed number of statements.
 */
import type { EntityManager } from 'typeorm';
import { NodeCoordinate, nodeHashesOf, TreeNode } from './merkle';

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

/** Locks the head row until the caller's transaction ends: appends queue up behind it. */
export async function lockTreeSize(em: EntityManager): Promise<number> {
  const [{ tree_size }] = await em.query('SELECT tree_size FROM ledger_head FOR UPDATE');
  return Number(tree_size);
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

/**
 * The nodes completed by the leaves [start, end), lowest level first: node (level, i) is completed by
 * leaf (i + 1)·2^level − 1. Ranges per level keep this an index range scan.
 */
export async function readNodesCompletedBy(em: EntityManager, start: number, end: number, maxLevel: number): Promise<TreeNode[]> {
  const rows: { level: number; index: string; hash: Buffer }[] = await em.query(
    `SELECT n.level, n.index, n.hash
       FROM generate_series(0, $3::int) AS l(level)
       CROSS JOIN LATERAL (
         SELECT level, index, hash FROM ledger_nodes
          WHERE level = l.level
            AND index >= (($1::bigint + (1::bigint << l.level)) >> l.level) - 1
            AND index <= ($2::bigint >> l.level) - 1
       ) n
      ORDER BY n.level, n.index`,
    [start, end, maxLevel],
  );
  return rows.map((row) => ({ level: row.level, index: Number(row.index), hash: row.hash }));
}

export async function readLeaves(em: EntityManager, start: number, end: number): Promise<LeafRow[]> {
  const rows: { index: string; leaf: Buffer; leaf_hash: Buffer }[] = await em.query(
    'SELECT index, leaf, leaf_hash FROM ledger_leaves WHERE index >= $1 AND index < $2 ORDER BY index',
    [start, end],
  );
  return rows.map((row) => ({ index: Number(row.index), leaf: row.leaf, leafHash: row.leaf_hash }));
}

export async function readLeaf(em: EntityManager, index: number): Promise<Buffer | null> {
  const [row] = await em.query('SELECT leaf FROM ledger_leaves WHERE index = $1', [index]);
  return row ? (row.leaf as Buffer) : null;
}

/** Leaves first: their insert trigger checks that they extend the head without a gap and moves it. */
export async function insertAppended(em: EntityManager, leaves: AppendedLeaf[], nodes: TreeNode[], personal: SealedPersonalValue[]): Promise<void> {
  await em.query('INSERT INTO ledger_leaves (index, leaf, leaf_hash, subject) SELECT * FROM unnest($1::bigint[], $2::bytea[], $3::bytea[], $4::uuid[])', [
    leaves.map((l) => l.index),
    leaves.map((l) => l.leaf),
    leaves.map((l) => l.leafHash),
    leaves.map((l) => l.subject),
  ]);
  await em.query('INSERT INTO ledger_nodes (level, index, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])', [
    nodes.map((n) => n.level),
    nodes.map((n) => n.index),
    nodes.map((n) => n.hash),
  ]);
  if (personal.length > 0) {
    await em.query('INSERT INTO ledger_personal_values (leaf_index, name, sealed) SELECT * FROM unnest($1::bigint[], $2::text[], $3::bytea[])', [
      personal.map((p) => p.leafIndex),
      personal.map((p) => p.name),
      personal.map((p) => p.sealed),
    ]);
  }
}
