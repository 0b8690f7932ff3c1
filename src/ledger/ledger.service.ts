import { Inject, Injectable } from '@nestjs/common';
import { EntityManager, QueryRunner } from 'typeorm';
import { Clock } from '../common/clock';
import { KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { CheckpointService } from './checkpoint.service';
import { assertJustified, encodeEntry, LedgerEntry } from './ledger-entry';
import { AppendedLeaf, insertAppended, lockTreeEdge, SealedPersonalValue } from './ledger.store';
import { leafHash, RootAccumulator, TreeNode } from './merkle';
import { sealPersonalValue } from './personal-values';
import type { SubjectHold } from './subject-hold';
import { holdEntriesAbout, insertHolds } from './subject-holds.store';

/** What a transaction appended (from which index) and which of its subjects it withholds entries from. */
interface TransactionHolds {
  firstIndex?: number;
  holds: { subject: string; hold: SubjectHold }[];
}

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

  /** Keyed by the transaction's query runner, which a transaction has to itself and drops at its end. */
  private readonly transactions = new WeakMap<QueryRunner, TransactionHolds>();

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
    const holds = this.holdsOf(em);
    holds.firstIndex ??= start;
    const held = leaves.flatMap((leaf) => holds.holds.filter((h) => h.subject === leaf.subject).map((h) => ({ index: leaf.index, ...h.hold })));
    if (held.length > 0) await insertHolds(em, held);
    await this.checkpoints.issueWithAppend(em, tree.size, tree.root(), at);
    return leaves.map((leaf) => leaf.index);
  }

  /**
   * Withholds from `subject` (in their access log, see SubjectHolds) every entry about them that this
   * transaction appended or will append, for as long as `hold` is in force. The reads a context makes
   * for another (IP history, identity) record their own entries; this covers them without their knowing.
   */
  async withholdFromSubject(em: EntityManager, subject: string, hold: SubjectHold): Promise<void> {
    if (!em.queryRunner?.isTransactionActive) throw new Error('entries are withheld inside the transaction that records them');
    const holds = this.holdsOf(em);
    holds.holds.push({ subject, hold });
    if (holds.firstIndex !== undefined) await holdEntriesAbout(em, holds.firstIndex, subject, hold);
  }

  private holdsOf(em: EntityManager): TransactionHolds {
    const runner = em.queryRunner as QueryRunner;
    let holds = this.transactions.get(runner);
    if (!holds) this.transactions.set(runner, (holds = { holds: [] }));
    return holds;
  }
}
