import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createPublicKey, hash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { verifyCheckpoint } from './checkpoint';
import { CheckpointService } from './checkpoint.service';
import { VerifyResult } from './ledger.schemas';
import { PACKED_LEAF_HEADER, PackedLeaves, readTreeSize, readVerifyBatch } from './ledger.store';
import { LogAudit, StoredNode } from './log-audit';

/** Leaves read per query: a power of two, so most batches complete whole subtrees. */
const BATCH = 8192;
/** Batches requested ahead of the one being hashed: each holds two of the pool's connections meanwhile. */
const AHEAD = 3;

/**
 * Recomputes the whole log from the stored leaf bytes: each leaf hash, every stored subtree hash
 * (which proofs and roots are served from), and the root of every checkpoint ever signed, whose
 * signature is checked first. Streams in batches, reading the next batches while hashing this one.
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
    const em = this.dataSource.manager;
    const read = (start: number) => {
      const batch = readVerifyBatch(em, start, Math.min(start + BATCH, treeSize), maxLevel);
      // Left unawaited when an earlier batch fails the audit; its own failure then matters to no one.
      batch.catch(() => undefined);
      return batch;
    };
    // Requested AHEAD batches in advance, so that PostgreSQL gathers them while this one is hashed.
    const pending = [];
    for (let start = 0; start < treeSize && pending.length < AHEAD; start += BATCH) pending.push(read(start));
    for (let start = 0; start < treeSize && !audit.failure; start += BATCH) {
      const { leaves, stored } = await (pending.shift() as ReturnType<typeof read>);
      if (start + AHEAD * BATCH < treeSize) pending.push(read(start + AHEAD * BATCH));
      const count = this.audit(audit, leaves, stored);
      if (count < Math.min(BATCH, treeSize - start)) audit.fail({ index: audit.size, reason: `entry ${audit.size} is missing` });
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

  /** Feeds the batch's leaves to the audit straight from the packed bytes; returns how many it held. */
  private audit(audit: LogAudit, { bytes }: PackedLeaves, stored: StoredNode): number {
    let read = 0;
    for (let at = 0; at < bytes.length && !audit.failure; read++) {
      const end = at + PACKED_LEAF_HEADER + bytes.readUInt32BE(at + 8);
      const leafHash = hash('sha256', bytes.subarray(at + PACKED_LEAF_HEADER, end), 'buffer');
      // Indices stay below 2^53, so two 32-bit halves make the number without a BigInt per leaf.
      const index = bytes.readUInt32BE(at) * 2 ** 32 + bytes.readUInt32BE(at + 4);
      audit.addLeafHash(index, leafHash, bytes.subarray(at + 12, at + PACKED_LEAF_HEADER), stored);
      at = end;
    }
    return read;
  }
}
