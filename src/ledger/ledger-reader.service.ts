import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { LedgerError, LedgerErrorCode } from './ledger.errors';
import { ConsistencyProofView, EntryView, InclusionProofView } from './ledger.schemas';
import { LeafRow, readAdminActionLeaves, readLeaves, readNodes, readTreeSize } from './ledger.store';
import { consistencyProofFromNodes, consistencyProofNodes, inclusionProofFromNodes, inclusionProofNodes, nodeKey, rootFromNodes, rootNodes } from './merkle';

/** At most this many entries per answer; a reader asks again from the next index. */
export const MAX_ENTRIES_PER_PAGE = 1000;

/**
 * Reads the log: entries, roots and proofs, each from O(log n) stored subtree hashes in one query.
 * A size the log has not reached is a 404 (it may exist later); a question that cannot have an answer
 * (an index outside the tree it names, sizes out of order) is a 400.
 */
@Injectable()
export class LedgerReader {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async treeSize(): Promise<number> {
    return readTreeSize(this.dataSource.manager);
  }

  /** The root of the first `treeSize` leaves; the caller knows the log has that many. */
  async root(treeSize: number): Promise<Buffer> {
    return rootFromNodes(treeSize, await readNodes(this.dataSource.manager, rootNodes(treeSize)));
  }

  /** Entries [start, end), at most MAX_ENTRIES_PER_PAGE of them. */
  async entries(start: number, end: number): Promise<EntryView[]> {
    if (start > end) {
      throw new LedgerError(LedgerErrorCode.RangeOutOfOrder, `start (${start}) is after end (${end}).`, { errors: [{ path: 'start', message: 'must not exceed end' }] });
    }
    await this.assertReached(end);
    const rows = await readLeaves(this.dataSource.manager, start, Math.min(end, start + MAX_ENTRIES_PER_PAGE));
    // Canonical JSON never holds a lone surrogate, so the UTF-8 text is the leaf's bytes.
    return rows.map((row) => ({ index: row.index, leaf: row.leaf.toString('utf8'), leafHash: row.leafHash.toString('hex') }));
  }

  /** The entries of admin, ccj, observer and system actors among the first `treeSize`, newest first, and their count. */
  async adminActions(treeSize: number, limit: number, offset: number): Promise<{ rows: LeafRow[]; total: number }> {
    await this.assertReached(treeSize);
    return readAdminActionLeaves(this.dataSource.manager, treeSize, limit, offset);
  }

  /** The inclusion proofs of several leaves in a tree of `treeSize`, from one query; every index is below it. */
  async inclusionProofs(indices: readonly number[], treeSize: number): Promise<Map<number, string[]>> {
    await this.assertReached(treeSize);
    const hashes = await readNodes(this.dataSource.manager, indices.flatMap((index) => inclusionProofNodes(index, treeSize)));
    return new Map(indices.map((index) => [index, inclusionProofFromNodes(index, treeSize, hashes).map(hex)]));
  }

  async inclusionProof(index: number, treeSize: number): Promise<InclusionProofView> {
    if (index >= treeSize) {
      throw new LedgerError(LedgerErrorCode.IndexOutsideTree, `A tree of ${treeSize} leaves has no leaf ${index}.`, { errors: [{ path: 'index', message: 'must be below treeSize' }] });
    }
    await this.assertReached(treeSize);
    const hashes = await readNodes(this.dataSource.manager, inclusionProofNodes(index, treeSize));
    return { index, treeSize, path: inclusionProofFromNodes(index, treeSize, hashes).map(hex) };
  }

  /** The stored hash of leaf `index`, which the caller knows the log holds. */
  async leafHash(index: number): Promise<Buffer> {
    const hashes = await readNodes(this.dataSource.manager, [{ level: 0, index }]);
    return hashes.get(nodeKey(0, index)) as Buffer;
  }

  async consistencyProof(first: number, second: number): Promise<ConsistencyProofView> {
    if (first > second) {
      throw new LedgerError(LedgerErrorCode.RangeOutOfOrder, `first (${first}) is larger than second (${second}).`, { errors: [{ path: 'first', message: 'must not exceed second' }] });
    }
    await this.assertReached(second);
    const hashes = await readNodes(this.dataSource.manager, consistencyProofNodes(first, second));
    return { first, second, path: consistencyProofFromNodes(first, second, hashes).map(hex) };
  }

  private async assertReached(size: number): Promise<void> {
    const treeSize = await this.treeSize();
    if (size > treeSize) throw new LedgerError(LedgerErrorCode.BeyondTree, `The log has ${treeSize} entries; ${size} is beyond it.`, { treeSize });
  }
}

const hex = (hash: Buffer) => hash.toString('hex');
