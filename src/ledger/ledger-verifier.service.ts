import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createPublicKey } from 'node:crypto';
import { DataSource } from 'typeorm';
import { KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { verifyCheckpoint } from './checkpoint';
import { CheckpointService } from './checkpoint.service';
import { LeafRow, readLeaves, readNodesCompletedBy, readTreeSize } from './ledger.store';
import { LogAudit, StoredNode } from './log-audit';

/** Leaves read per query: a power of two, so most batches complete whole subtrees. */
const BATCH = 8192;

export interface VerifyResult {
  ok: boolean;
  treeSize: number;
  firstBadIndex?: number;
  reason?: string;
  checkpointsChecked: number;
}

/**
 * Recomputes the whole log from the stored leaf bytes: each leaf hash, every stored subtree hash
 * (which proofs and roots are served from), and the root of every checkpoint ever signed, whose
 * signature is checked first. Streams in batches, reading the next batch while hashing this one.
 */
@Injectable()
export class LedgerVerifier {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly checkpoints: CheckpointService,
    @Inject(KEY_MATERIAL) private readonly keys: KeyMaterial,
  ) {}

  async verify(): Promise<VerifyResult> {
    const treeSize = await readTreeSize(this.dataSource.manager);
    const signed = await this.checkpoints.distinctUpTo(treeSize);
    const publicKey = createPublicKey(this.keys.signingKey);
    const forged = signed.find((checkpoint) => !verifyCheckpoint(publicKey, checkpoint));
    if (forged) {
      return { ok: false, treeSize, reason: `the stored checkpoint of ${forged.treeSize} leaves (${forged.timestamp}) is not signed by this ledger's key`, checkpointsChecked: 0 };
    }
    const audit = new LogAudit(
      signed.map((c) => ({ treeSize: c.treeSize, rootHash: Buffer.from(c.rootHash, 'hex'), label: `the checkpoint signed at ${c.timestamp}` })),
    );
    const maxLevel = treeSize > 1 ? Math.floor(Math.log2(treeSize)) : 0;
    let next = this.batch(0, treeSize, maxLevel);
    for (let start = 0; start < treeSize && !audit.failure; start += BATCH) {
      const { leaves, stored } = await next;
      if (start + BATCH < treeSize) {
        next = this.batch(start + BATCH, treeSize, maxLevel);
        // Left unawaited when this batch fails the audit; its own failure then matters to no one.
        next.catch(() => undefined);
      }
      for (const row of leaves) audit.add(row.index, row.leaf, row.leafHash, stored);
      if (leaves.length < Math.min(BATCH, treeSize - start)) audit.fail({ index: audit.size, reason: `entry ${audit.size} is missing` });
    }
    const failure = audit.finish();
    return {
      ok: failure === null,
      treeSize,
      ...(failure?.index !== undefined ? { firstBadIndex: failure.index } : {}),
      ...(failure ? { reason: failure.reason } : {}),
      checkpointsChecked: audit.anchorsMatched,
    };
  }

  private async batch(start: number, treeSize: number, maxLevel: number): Promise<{ leaves: LeafRow[]; stored: StoredNode }> {
    const end = Math.min(start + BATCH, treeSize);
    const em = this.dataSource.manager;
    const [leaves, stored] = await Promise.all([readLeaves(em, start, end), readNodesCompletedBy(em, start, end, maxLevel)]);
    return { leaves, stored };
  }
}
