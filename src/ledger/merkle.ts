/**
 * RFC 6962 / RFC 9162 Merkle tree hashing for the ledger, with no Nest or database imports.
 *
 * Three layers:
 * - hashing (`leafHash`, `nodeHash`, `emptyRoot`) and the literal RFC recursion over an in-memory list of
 *   leaf hashes (`merkleRoot`, `inclusionProof`, `consistencyProof`), kept as the reference;
 * - the storage scheme: the database holds the hash of every complete aligned subtree, node
 *   (level, index) covering leaves [index·2^level, (index+1)·2^level). Each computation is split into a
 *   plan (`...Nodes`: the coordinates to fetch in one query, O(log n) of them) and an assembly
 *   (`...FromNodes`: the result from the fetched hashes);
 * - the RFC 9162 verifiers and a streaming root (`RootAccumulator`) for full re-verification.
 *
 * Sizes and indices are JavaScript numbers, exact up to 2^53; arithmetic avoids 32-bit bitwise operators.
 */
import { createHash, hash } from 'node:crypto';

export const HASH_SIZE = 32;

/*
 * One-shot hashing of one contiguous buffer: for inputs this small, each createHash() and update()
 * call costs more than the hashing itself, and a full verify rehashes millions of leaves and nodes.
 */

/** SHA-256(0x00 ‖ leaf): the prefix keeps a leaf from being passed off as an inner node (RFC 6962 §2.1). */
export function leafHash(leaf: Buffer): Buffer {
  const input = Buffer.allocUnsafe(leaf.length + 1);
  input[0] = 0x00;
  leaf.copy(input, 1);
  return hash('sha256', input, 'buffer');
}

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHash(left: Buffer, right: Buffer): Buffer {
  const input = Buffer.allocUnsafe(1 + left.length + right.length);
  input[0] = 0x01;
  left.copy(input, 1);
  right.copy(input, 1 + left.length);
  return hash('sha256', input, 'buffer');
}

/** MTH({}) = SHA-256 of the empty string; a fresh Buffer each call so no caller can alter a shared one. */
export function emptyRoot(): Buffer {
  return createHash('sha256').digest();
}

/** The RFC split point: the largest power of two strictly below `size` (size ≥ 2). */
export function splitPoint(size: number): number {
  if (!Number.isSafeInteger(size) || size < 2) throw new RangeError(`split point needs a size ≥ 2, got ${size}`);
  let k = 1;
  while (k * 2 < size) k *= 2;
  return k;
}

// ---------------------------------------------------------------------------------------------------------
// Reference implementation: RFC 6962 §2.1, §2.1.1, §2.1.2 taken literally, on in-memory leaf hashes.
// ---------------------------------------------------------------------------------------------------------

/** MTH(D[n]) over leaf hashes. */
export function merkleRoot(leafHashes: readonly Buffer[]): Buffer {
  const n = leafHashes.length;
  if (n === 0) return emptyRoot();
  if (n === 1) return leafHashes[0];
  const k = splitPoint(n);
  return nodeHash(merkleRoot(leafHashes.slice(0, k)), merkleRoot(leafHashes.slice(k)));
}

/** PATH(m, D[n]): the audit path of leaf `index`, deepest sibling first. */
export function inclusionProof(leafHashes: readonly Buffer[], index: number): Buffer[] {
  assertLeafIndex(index, leafHashes.length);
  return auditPath(index, leafHashes);
}

function auditPath(m: number, d: readonly Buffer[]): Buffer[] {
  const n = d.length;
  if (n === 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...auditPath(m, d.slice(0, k)), merkleRoot(d.slice(k))];
  return [...auditPath(m - k, d.slice(k)), merkleRoot(d.slice(0, k))];
}

/** PROOF(m, D[n]) between the first `first` leaves and the first `second` leaves of `leafHashes`. */
export function consistencyProof(leafHashes: readonly Buffer[], first: number, second: number): Buffer[] {
  assertTreeSizes(first, second, leafHashes.length);
  // RFC 6962 defines PROOF for 0 < m < n; an empty tree and an unchanged tree need no proof (RFC 9162 §2.1.4).
  if (first === 0 || first === second) return [];
  return subproof(first, leafHashes.slice(0, second), true);
}

function subproof(m: number, d: readonly Buffer[], b: boolean): Buffer[] {
  const n = d.length;
  if (m === n) return b ? [] : [merkleRoot(d)];
  const k = splitPoint(n);
  if (m <= k) return [...subproof(m, d.slice(0, k), b), merkleRoot(d.slice(k))];
  return [...subproof(m - k, d.slice(k), false), merkleRoot(d.slice(0, k))];
}

// ---------------------------------------------------------------------------------------------------------
// Storage scheme: complete aligned subtrees.
// ---------------------------------------------------------------------------------------------------------

/** A complete aligned subtree: leaves [index·2^level, (index+1)·2^level). Level 0 is a leaf. */
export interface NodeCoordinate {
  readonly level: number;
  readonly index: number;
}

export interface TreeNode extends NodeCoordinate {
  readonly hash: Buffer;
}

/** Fetched node hashes keyed by `nodeKey`; a `Map` built with `nodeHashesOf` fits. */
export type NodeHashes = ReadonlyMap<string, Buffer>;

export function nodeKey(level: number, index: number): string {
  return `${level}:${index}`;
}

export function nodeHashesOf(nodes: Iterable<TreeNode>): Map<string, Buffer> {
  const hashes = new Map<string, Buffer>();
  for (const node of nodes) hashes.set(nodeKey(node.level, node.index), node.hash);
  return hashes;
}

/**
 * A range of leaves [start, end) that the RFC recursion visits: start < end, and start is 0 or a multiple of
 * the smallest power of two ≥ end − start (a "valid subtree" in draft-ietf-plants-merkle-tree-certs). So
 * it is either a complete aligned subtree or the right edge of one.
 */
interface LeafRange {
  readonly start: number;
  readonly end: number;
}

/**
 * The complete aligned subtrees whose hashes give MTH(D[start:end]), left to right. MTH splits off the
 * largest power of two below the range length, which is the highest bit of that length; so the range
 * falls into one aligned subtree per set bit of (end − start), largest first.
 */
function rangeNodes({ start, end }: LeafRange): NodeCoordinate[] {
  const nodes: NodeCoordinate[] = [];
  let cursor = start;
  while (cursor < end) {
    let level = 0;
    let width = 1;
    while (width * 2 <= end - cursor) {
      width *= 2;
      level += 1;
    }
    nodes.push({ level, index: cursor / width });
    cursor += width;
  }
  return nodes;
}

/** MTH of a range: its subtrees combined right to left, as the recursion on its right part does. */
function rangeHash(range: LeafRange, hashes: NodeHashes): Buffer {
  const nodes = rangeNodes(range);
  let hash = lookup(hashes, nodes[nodes.length - 1]);
  for (let i = nodes.length - 2; i >= 0; i--) hash = nodeHash(lookup(hashes, nodes[i]), hash);
  return hash;
}

function lookup(hashes: NodeHashes, { level, index }: NodeCoordinate): Buffer {
  const hash = hashes.get(nodeKey(level, index));
  if (!hash) throw new Error(`ledger node (level ${level}, index ${index}) was not supplied`);
  return hash;
}

/** Nodes to fetch for MTH(D[start:end]) of a valid subtree (see `LeafRange`): one per set bit of end − start. */
export function subtreeNodes(start: number, end: number): NodeCoordinate[] {
  return rangeNodes(validSubtree(start, end));
}

export function subtreeHashFromNodes(start: number, end: number, hashes: NodeHashes): Buffer {
  return rangeHash(validSubtree(start, end), hashes);
}

/** Nodes to fetch for the root of the tree of `treeSize` leaves. */
export function rootNodes(treeSize: number): NodeCoordinate[] {
  assertSafeCount(treeSize, 'tree size');
  return treeSize === 0 ? [] : subtreeNodes(0, treeSize);
}

export function rootFromNodes(treeSize: number, hashes: NodeHashes): Buffer {
  assertSafeCount(treeSize, 'tree size');
  return treeSize === 0 ? emptyRoot() : subtreeHashFromNodes(0, treeSize, hashes);
}

/**
 * PATH(m, D[n]) as the leaf ranges whose MTH form the proof, in proof order. Only the first turn to the
 * left from the right edge yields a non-aligned sibling, so the proof needs O(log n) nodes in all.
 */
function inclusionRanges(index: number, treeSize: number): LeafRange[] {
  assertLeafIndex(index, treeSize);
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = treeSize;
  while (end - start > 1) {
    const k = splitPoint(end - start);
    if (index < start + k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
    }
  }
  return ranges.reverse();
}

export function inclusionProofNodes(index: number, treeSize: number): NodeCoordinate[] {
  return inclusionRanges(index, treeSize).flatMap(rangeNodes);
}

export function inclusionProofFromNodes(index: number, treeSize: number, hashes: NodeHashes): Buffer[] {
  return inclusionRanges(index, treeSize).map((range) => rangeHash(range, hashes));
}

/** SUBPROOF(m, D[n], true) as leaf ranges in proof order; ranges are disjoint, so O(log n) nodes. */
function consistencyRanges(first: number, second: number): LeafRange[] {
  assertTreeSizes(first, second, second);
  if (first === 0 || first === second) return [];
  const ranges: LeafRange[] = [];
  let start = 0;
  let end = second;
  let haveRoot = true;
  while (first !== end) {
    const k = splitPoint(end - start);
    if (first <= start + k) {
      ranges.push({ start: start + k, end });
      end = start + k;
    } else {
      ranges.push({ start, end: start + k });
      start += k;
      haveRoot = false;
    }
  }
  if (!haveRoot) ranges.push({ start, end });
  return ranges.reverse();
}

export function consistencyProofNodes(first: number, second: number): NodeCoordinate[] {
  return consistencyRanges(first, second).flatMap(rangeNodes);
}

export function consistencyProofFromNodes(first: number, second: number, hashes: NodeHashes): Buffer[] {
  return consistencyRanges(first, second).map((range) => rangeHash(range, hashes));
}

// ---------------------------------------------------------------------------------------------------------
// Verifiers: RFC 9162 §2.1.3.2 and §2.1.4.2. They return false on any malformed input instead of throwing,
// since their input comes from outside.
// ---------------------------------------------------------------------------------------------------------

export function verifyInclusion(
  hash: Buffer,
  index: number,
  treeSize: number,
  path: readonly Buffer[],
  root: Buffer,
): boolean {
  if (!isSafeCount(index) || !isSafeCount(treeSize) || index >= treeSize) return false;
  if (![hash, root, ...path].every(isHash)) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = hash;
  for (const p of path) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 && r.equals(root);
}

/**
 * Besides the RFC algorithm (0 < first < second): equal sizes need equal roots and an empty path; the
 * empty tree is a prefix of every tree, but its root must then be MTH({}).
 */
export function verifyConsistency(
  first: number,
  second: number,
  firstRoot: Buffer,
  secondRoot: Buffer,
  path: readonly Buffer[],
): boolean {
  if (!isSafeCount(first) || !isSafeCount(second) || first > second) return false;
  if (![firstRoot, secondRoot, ...path].every(isHash)) return false;
  if (first === 0) return path.length === 0 && firstRoot.equals(emptyRoot());
  if (first === second) return path.length === 0 && firstRoot.equals(secondRoot);
  if (path.length === 0) return false;
  const firstIsPowerOfTwo = first === 1 || splitPoint(first) * 2 === first;
  const consistencyPath = firstIsPowerOfTwo ? [firstRoot, ...path] : path;
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) [fn, sn] = [(fn - 1) / 2, Math.floor(sn / 2)];
  let fr = consistencyPath[0];
  let sr = consistencyPath[0];
  for (const c of consistencyPath.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) [fn, sn] = [fn / 2, Math.floor(sn / 2)];
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = [Math.floor(fn / 2), Math.floor(sn / 2)];
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}

// ---------------------------------------------------------------------------------------------------------
// Streaming root for full verification: O(log n) memory however many leaves.
// ---------------------------------------------------------------------------------------------------------

/**
 * Keeps the complete subtrees along the right edge of the tree (at most one per level, largest first),
 * which is all that later leaves and the root depend on.
 */
export class RootAccumulator {
  private readonly edge: TreeNode[] = [];
  private count = 0;

  /**
   * Continues a tree of `treeSize` leaves from its right edge, the nodes listed by `rootNodes(treeSize)`:
   * appending then needs no other stored node.
   */
  static resume(treeSize: number, hashes: NodeHashes): RootAccumulator {
    const accumulator = new RootAccumulator();
    for (const coordinate of rootNodes(treeSize)) accumulator.edge.push({ ...coordinate, hash: lookup(hashes, coordinate) });
    accumulator.count = treeSize;
    return accumulator;
  }

  get size(): number {
    return this.count;
  }

  /** Appends the next leaf hash; returns the nodes it completes. */
  append(hash: Buffer): TreeNode[] {
    let node: TreeNode = { level: 0, index: this.count, hash };
    const completed = [node];
    while (this.edge.length > 0 && this.edge[this.edge.length - 1].level === node.level) {
      const left = this.edge.pop() as TreeNode;
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      completed.push(node);
    }
    this.edge.push(node);
    this.count += 1;
    return completed;
  }

  /** The root of the leaves appended so far. */
  root(): Buffer {
    if (this.edge.length === 0) return emptyRoot();
    let hash = this.edge[this.edge.length - 1].hash;
    for (let i = this.edge.length - 2; i >= 0; i--) hash = nodeHash(this.edge[i].hash, hash);
    return hash;
  }
}

export function rootFromLeafHashes(leafHashes: Iterable<Buffer>): Buffer {
  const accumulator = new RootAccumulator();
  for (const hash of leafHashes) accumulator.append(hash);
  return accumulator.root();
}

// ---------------------------------------------------------------------------------------------------------

function isSafeCount(value: number): boolean {
  return Number.isSafeInteger(value) && value >= 0;
}

function isHash(value: Buffer): boolean {
  return Buffer.isBuffer(value) && value.length === HASH_SIZE;
}

function assertSafeCount(value: number, what: string): void {
  if (!isSafeCount(value)) throw new RangeError(`${what} must be a non-negative safe integer, got ${value}`);
}

function validSubtree(start: number, end: number): LeafRange {
  assertSafeCount(start, 'subtree start');
  assertSafeCount(end, 'subtree end');
  let alignment = 1;
  while (alignment < end - start) alignment *= 2;
  if (start >= end || start % alignment !== 0) throw new RangeError(`[${start}, ${end}) is not a valid subtree`);
  return { start, end };
}

function assertLeafIndex(index: number, treeSize: number): void {
  assertSafeCount(treeSize, 'tree size');
  if (!isSafeCount(index) || index >= treeSize) {
    throw new RangeError(`leaf index ${index} is outside a tree of ${treeSize} leaves`);
  }
}

function assertTreeSizes(first: number, second: number, available: number): void {
  assertSafeCount(first, 'first tree size');
  assertSafeCount(second, 'second tree size');
  if (first > second || second > available) {
    throw new RangeError(`tree sizes ${first} ≤ ${second} ≤ ${available} do not hold`);
  }
}
