import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { performance } from 'node:perf_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig, KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { Checkpoint, signCheckpoint } from './checkpoint';
import { LedgerReader } from './ledger-reader.service';
import { LedgerError, LedgerErrorCode } from './ledger.errors';
import { insertCheckpoint, readDistinctCheckpoints, readLatestCheckpoint } from './ledger.store';

/**
 * Signed tree heads. The writing side issues them: an append signs the tree it leaves, in its own
 * transaction, at most once per LANTERNE_CHECKPOINT_INTERVAL_SECONDS in this process (a timer signs
 * what committed meanwhile once the interval is over), a process signs the log when it starts, and a
 * repeatable job (CheckpointSweep) signs it when it is ahead of every checkpoint. The public route
 * only reads, so anonymous callers store nothing. Each checkpoint is kept, so that a member can later
 * ask for a consistency proof from one they saved, and so that `verify` can hold today's tree against
 * every root ever signed.
 */
@Injectable()
export class CheckpointService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Checkpoints');
  /** When this process last signed (monotonic ms): the limit is on rows stored, whatever the clock says. */
  private lastSigned = -Infinity;
  private trailing: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reader: LedgerReader,
    private readonly clock: Clock,
    @Inject(KEY_MATERIAL) private readonly keys: KeyMaterial,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.issueIfBehind();
  }

  /** Signs what committed since the last checkpoint rather than leaving it to the next sweep. */
  async beforeApplicationShutdown(): Promise<void> {
    if (!this.trailing) return;
    clearTimeout(this.trailing);
    this.trailing = null;
    await this.issueIfBehind().catch((error: Error) => this.logger.warn({ error: error.message }, 'no checkpoint at shutdown'));
  }

  /** The latest stored checkpoint: the largest tree signed, at its latest signing. */
  async latest(): Promise<Checkpoint> {
    const latest = await readLatestCheckpoint(this.dataSource.manager);
    if (!latest) throw new LedgerError(LedgerErrorCode.NoCheckpoint, 'No checkpoint has been signed yet; one is signed when the service starts.');
    return latest;
  }

  /** One stored checkpoint per distinct (size, root) up to `treeSize`, smallest first. */
  distinctUpTo(treeSize: number): Promise<Checkpoint[]> {
    return readDistinctCheckpoints(this.dataSource.manager, treeSize);
  }

  /**
   * Called by an append, in its transaction, with the tree it leaves: stores that tree's checkpoint with
   * it (both commit, or neither), unless this process signed less than the interval ago.
   */
  async issueWithAppend(em: EntityManager, treeSize: number, rootHash: Buffer, at: Date): Promise<void> {
    if (performance.now() - this.lastSigned < this.config.checkpointIntervalSeconds * 1000) {
      this.signWhenDue();
      return;
    }
    await insertCheckpoint(em, this.sign(treeSize, rootHash, at));
  }

  /** Signs and stores the committed tree head when no stored checkpoint covers it yet; returns it then. */
  async issueIfBehind(): Promise<Checkpoint | null> {
    const em = this.dataSource.manager;
    const [treeSize, latest] = await Promise.all([this.reader.treeSize(), readLatestCheckpoint(em)]);
    if (latest && latest.treeSize >= treeSize) return null;
    const checkpoint = this.sign(treeSize, await this.reader.root(treeSize), this.clock.now());
    await insertCheckpoint(em, checkpoint);
    return checkpoint;
  }

  /** Checkpoint timestamps are whole seconds (the table refuses others). */
  private sign(treeSize: number, rootHash: Buffer, at: Date): Checkpoint {
    this.lastSigned = performance.now();
    return signCheckpoint(this.keys.signingKey, { treeSize, rootHash, timestamp: new Date(Math.floor(at.getTime() / 1000) * 1000) });
  }

  /** Once the interval is over, signs what has committed by then: one timer however many appends wait. */
  private signWhenDue(): void {
    if (this.trailing) return;
    const wait = Math.max(0, this.lastSigned + this.config.checkpointIntervalSeconds * 1000 - performance.now());
    this.trailing = setTimeout(() => {
      this.trailing = null;
      this.issueIfBehind().catch((error: Error) => this.logger.warn({ error: error.message }, 'checkpoint not signed; the sweep will'));
    }, wait);
    // A pending checkpoint must not keep a finished process alive: shutdown signs it, or the sweep does.
    this.trailing.unref();
  }
}
