import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { CheckpointService } from './checkpoint.service';
import { assertJustified, encodeEntry, LedgerEntry } from './ledger-entry';
import { AppendedLeaf, insertAppended, lockTreeEdge, SealedPersonalValue } from './ledger.store';
import { leafHash, RootAccumulator, TreeNode } from './merkle';
import { sealPersonalValue } from './personal-values';

/**
 * Appends to the ledger. Other contexts call `record` inside the transaction of the action it
 * records: both commit, or neither does.
 */
@Injectable()
export class LedgerService {
  constructor(
    private readonly clock: Clock,
    @Inject(KEY_MATERIAL) private readonly keys: KeyMaterial,
    private readonly checkpoints: CheckpointService,
  ) {}

  /** Appends one entry in the caller's transaction and returns its index. */
  async record(em: EntityManager, entry: LedgerEntry): Promise<number> {
    const [index] = await this.recordMany(em, [entry]);
    return index;
  }

  /**
   * Appends entries in order, with consecutive indices, in the caller's transaction. The head row
   * stays locked until that transaction ends, so concurrent appends queue up and indices have no gap
   * (a rolled-back append gives its indices back). Reads O(log n) nodes, writes the leaves, the
   * subtrees they complete and the sealed personal values: two statements however many entries, and a
   * third when the tree it leaves is signed (see CheckpointService).
   */
  async recordMany(em: EntityManager, entries: readonly LedgerEntry[]): Promise<number[]> {
    // Outside a transaction the lock would end with its statement and two appends could interleave.
    if (!em.queryRunner?.isTransactionActive) throw new Error('ledger entries are recorded inside the transaction of the action they record');
    entries.forEach(assertJustified);
    if (entries.length === 0) return [];
    const at = this.clock.now();
    // The right edge of the tree: every left sibling an append can need is on it, or appended here.
    const { treeSize: start, edge } = await lockTreeEdge(em);
    const tree = RootAccumulator.resume(start, edge);
    const leaves: AppendedLeaf[] = [];
    const nodes: TreeNode[] = [];
    const personal: SealedPersonalValue[] = [];
    entries.forEach((entry, offset) => {
      const index = start + offset;
      const encoded = encodeEntry(index, at, entry);
      const hash = leafHash(encoded.leaf);
      for (const node of tree.append(hash)) nodes.push(node);
      leaves.push({ index, leaf: encoded.leaf, leafHash: hash, subject: entry.subject ?? null });
      for (const { name, salt, value } of encoded.personal) {
        personal.push({ leafIndex: index, name, sealed: sealPersonalValue(this.keys.masterKey, index, name, salt, value) });
      }
    });
    await insertAppended(em, leaves, nodes, personal);
    await this.checkpoints.issueWithAppend(em, tree.size, tree.root(), at);
    return leaves.map((leaf) => leaf.index);
  }
}
