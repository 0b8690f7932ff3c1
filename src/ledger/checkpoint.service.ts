import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { Checkpoint, signCheckpoint } from './checkpoint';
import { LedgerReader } from './ledger-reader.service';

interface CheckpointRow {
  tree_size: string;
  issued_at: Date;
  root_hash: Buffer;
  signature: Buffer;
  public_key: string;
}

/**
 * Signed tree heads. Each is kept, so that a member can later ask for a consistency proof from one
 * they saved, and so that `verify` can hold today's tree against every root ever signed.
 */
@Injectable()
export class CheckpointService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reader: LedgerReader,
    private readonly clock: Clock,
    @Inject(KEY_MATERIAL) private readonly keys: KeyMaterial,
  ) {}

  /** The current tree head, signed on demand: at most once per tree size and second. */
  async current(): Promise<Checkpoint> {
    const issuedAt = new Date(Math.floor(this.clock.now().getTime() / 1000) * 1000);
    const treeSize = await this.reader.treeSize();
    const stored = await this.find(treeSize, issuedAt);
    if (stored) return stored;
    const checkpoint = signCheckpoint(this.keys.signingKey, { treeSize, rootHash: await this.reader.root(treeSize), timestamp: issuedAt });
    // A concurrent request may have stored the same head first: Ed25519 signatures are deterministic,
    // so both signed the same bytes and the stored row is what both answer.
    await this.dataSource.query(
      `INSERT INTO ledger_checkpoints (tree_size, issued_at, root_hash, signature, public_key) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (tree_size, issued_at) DO NOTHING`,
      [treeSize, issuedAt, Buffer.from(checkpoint.rootHash, 'hex'), Buffer.from(checkpoint.signature, 'base64'), checkpoint.publicKey],
    );
    return checkpoint;
  }

  /** One stored checkpoint per distinct (size, root) up to `treeSize`, smallest first. */
  async distinctUpTo(treeSize: number): Promise<Checkpoint[]> {
    const rows: CheckpointRow[] = await this.dataSource.query(
      `SELECT DISTINCT ON (tree_size, root_hash) tree_size, issued_at, root_hash, signature, public_key
         FROM ledger_checkpoints WHERE tree_size <= $1 ORDER BY tree_size, root_hash, issued_at`,
      [treeSize],
    );
    return rows.map(toCheckpoint);
  }

  private async find(treeSize: number, issuedAt: Date): Promise<Checkpoint | null> {
    const [row]: CheckpointRow[] = await this.dataSource.query(
      'SELECT tree_size, issued_at, root_hash, signature, public_key FROM ledger_checkpoints WHERE tree_size = $1 AND issued_at = $2',
      [treeSize, issuedAt],
    );
    return row ? toCheckpoint(row) : null;
  }
}

function toCheckpoint(row: CheckpointRow): Checkpoint {
  return {
    treeSize: Number(row.tree_size),
    rootHash: row.root_hash.toString('hex'),
    timestamp: row.issued_at.toISOString(),
    signature: row.signature.toString('base64'),
    publicKey: row.public_key,
  };
}
