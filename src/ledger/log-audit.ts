/**
 * Recomputes a log from its leaves, in order, and compares everything that can be compared: each
 * leaf's claimed hash, the stored subtree hashes (when the caller has them) and the roots of signed
 * checkpoints. Shared by `GET /ledger/verify` (stored rows) and `lanterne verify` (served entries).
 * Memory stays O(log n) whatever the length of the log.
 */
import { leafHash, RootAccumulator, TreeNode } from './merkle';

/** A root the log must have had at some size, e.g. from a signed checkpoint. */
export interface Anchor {
  treeSize: number;
  rootHash: Buffer;
  /** Says where the root comes from, in a failure's reason. */
  label: string;
}

/** The stored hash of a subtree node, if any. */
export type StoredNode = (level: number, index: number) => Buffer | undefined;

export interface AuditFailure {
  /** The first leaf that does not match, when the data points at one. */
  index?: number;
  reason: string;
}

export class LogAudit {
  private readonly accumulator = new RootAccumulator();
  private readonly anchors: Anchor[];
  private nextAnchor = 0;
  private matched = 0;
  private firstFailure: AuditFailure | null = null;

  constructor(anchors: readonly Anchor[]) {
    this.anchors = [...anchors].sort((a, b) => a.treeSize - b.treeSize);
    this.checkAnchors();
  }

  get size(): number {
    return this.accumulator.size;
  }

  get failure(): AuditFailure | null {
    return this.firstFailure;
  }

  /** Anchors whose root was recomputed and matched. */
  get anchorsMatched(): number {
    return this.matched;
  }

  /**
   * Adds the next leaf and returns the nodes it completes (level 0 first: the recomputed leaf hash).
   * With `stored`, every completed node must be stored with the same hash. Returns [] once failed.
   */
  add(index: number, leaf: Buffer, claimedLeafHash: Buffer, stored?: StoredNode): TreeNode[] {
    if (this.firstFailure) return [];
    return this.addLeafHash(index, leafHash(leaf), claimedLeafHash, stored);
  }

  /** As `add`, with the leaf hash already computed from the leaf bytes by the caller. */
  addLeafHash(index: number, hash: Buffer, claimedLeafHash: Buffer, stored?: StoredNode): TreeNode[] {
    if (this.firstFailure) return [];
    if (index !== this.size) return this.fail({ index: this.size, reason: `entry ${this.size} is missing (next was ${index})` });
    if (!hash.equals(claimedLeafHash)) return this.fail({ index, reason: `leaf ${index} does not hash to its recorded leaf hash` });
    const completed = this.accumulator.append(hash);
    for (let i = 0; stored && i < completed.length; i++) {
      const node = completed[i];
      if (!stored(node.level, node.index)?.equals(node.hash)) {
        const first = node.index * 2 ** node.level;
        const what = node.level === 0 ? `the tree's hash of leaf ${first}` : `the tree's node over leaves ${first}..${first + 2 ** node.level - 1}`;
        return this.fail({ index: first, reason: `${what} is missing or does not match the recomputed hash` });
      }
    }
    this.checkAnchors();
    return this.firstFailure ? [] : completed;
  }

  /** Records a failure found by the caller; only the first one counts. */
  fail(failure: AuditFailure): [] {
    this.firstFailure ??= failure;
    return [];
  }

  /** Once every leaf is in: an anchor beyond the last leaf means the log is shorter than was signed. */
  finish(): AuditFailure | null {
    const unreached = this.anchors[this.nextAnchor];
    if (unreached) this.fail({ reason: `the log has ${this.size} leaves but ${unreached.label} covers ${unreached.treeSize}` });
    return this.firstFailure;
  }

  /** The root of the leaves added so far. */
  root(): Buffer {
    return this.accumulator.root();
  }

  private checkAnchors(): void {
    while (!this.firstFailure && this.anchors[this.nextAnchor]?.treeSize === this.size) {
      const anchor = this.anchors[this.nextAnchor++];
      if (this.accumulator.root().equals(anchor.rootHash)) this.matched += 1;
      else this.fail({ reason: `the first ${anchor.treeSize} leaves do not have the root of ${anchor.label}` });
    }
  }
}
