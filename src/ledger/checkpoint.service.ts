import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { performance } from 'node:perf_hooks';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig, KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { createPublicKey } from 'node:crypto';
import { formatCheckpointText, formatVerifierKey, signNote } from '../common/signed-note';
import { AfterCommit } from '../database/after-commit';
import { logVerifierKey, NotedCheckpoint } from './c2sp-checkpoint';
import { Checkpoint, signCheckpoint } from './checkpoint';
import { LedgerReader } from './ledger-reader.service';
import { LedgerError, LedgerErrorCode } from './ledger.errors';
import { insertCheckpoint, readDistinctCheckpoints, readLatestCheckpoint, readNotedCheckpoint } from './ledger.store';

/**
 * Signed tree heads. The writing side issues them: an append signs the tree it leaves, in its own
 * transaction, at most once per LANTERNE_CHECKPOINT_INTERVAL_SECONDS in this process (a timer signs
 * what committed meanwhile once the interval is over), a process signs the log when it starts, and a
 * repeatable job (CheckpointSweep) signs it when it is ahead of every checkpoint. The public route
 * only reads, so anonymous callers store nothing. Each checkpoint is kept, so that a member can later
 * ask for a consistency proof from one they saved, and so that `verify` can hold today's tree against
 * every root ever signed. Each is signed twice with the ledger key, in Lanterne's JSON form and as a
 * C2SP checkpoint note under LANTERNE_LOG_ORIGIN; once stored, the witnesses are asked to cosign it.
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
    private readonly afterCommit: AfterCommit,
  ) {}

  /** Who is told of each stored checkpoint once it has committed (the cosigning, to ask the witnesses). */
  private readonly issuedListeners: ((treeSize: number) => Promise<void>)[] = [];

  onIssued(listener: (treeSize: number) => Promise<void>): void {
    this.issuedListeners.push(listener);
  }

  private async issued(treeSize: number): Promise<void> {
    for (const listener of this.issuedListeners) await listener(treeSize);
  }

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

  /**
   * The latest checkpoint signed as a note for the configured origin, or the one of `treeSize` leaves
   * (for a tlog proof, which needs a checkpoint of exactly the size it proves inclusion in).
   */
  async noted(treeSize?: number): Promise<NotedCheckpoint> {
    const noted = await readNotedCheckpoint(this.dataSource.manager, this.config.transparency.origin, treeSize);
    if (noted) return noted;
    if (treeSize === undefined) throw new LedgerError(LedgerErrorCode.NoCheckpoint, 'No checkpoint has been signed yet; one is signed when the service starts.');
    const latest = await readNotedCheckpoint(this.dataSource.manager, this.config.transparency.origin);
    throw new LedgerError(LedgerErrorCode.NoCheckpoint, `No checkpoint was signed at a size of ${treeSize}; ask with the treeSize of a checkpoint${latest ? ` (the latest has ${latest.checkpoint.treeSize})` : ''}.`, {
      ...(latest ? { treeSize: latest.checkpoint.treeSize } : {}),
    });
  }

  /** What a note reader needs besides the checkpoint: the origin, the key as a vkey, and whom this log asks to cosign. */
  publication(): { origin: string; verifierKey: string; witnessPolicy: { witnesses: string[]; quorum: number } } {
    const { origin, witnesses, quorum } = this.config.transparency;
    return {
      origin,
      verifierKey: formatVerifierKey(logVerifierKey(origin, createPublicKey(this.keys.signingKey))),
      witnessPolicy: { witnesses: witnesses.map((witness) => formatVerifierKey(witness.key)), quorum },
    };
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
    this.afterCommit.run(em, () => void this.issued(treeSize));
  }

  /**
   * Signs and stores the committed tree head when no stored checkpoint covers it yet under the
   * configured origin (checkpoints from before the C2SP note, or under another origin, do not); returns it then.
   */
  async issueIfBehind(): Promise<Checkpoint | null> {
    const em = this.dataSource.manager;
    const [treeSize, latest] = await Promise.all([this.reader.treeSize(), readNotedCheckpoint(em, this.config.transparency.origin)]);
    if (latest && latest.checkpoint.treeSize >= treeSize) return null;
    const noted = this.sign(treeSize, await this.reader.root(treeSize), this.clock.now());
    await insertCheckpoint(em, noted);
    await this.issued(treeSize);
    return noted.checkpoint;
  }

  /** Checkpoint timestamps are whole seconds (the table refuses others). */
  private sign(treeSize: number, rootHash: Buffer, at: Date): NotedCheckpoint {
    this.lastSigned = performance.now();
    const { origin } = this.config.transparency;
    const checkpoint = signCheckpoint(this.keys.signingKey, { treeSize, rootHash, timestamp: new Date(Math.floor(at.getTime() / 1000) * 1000) });
    return { checkpoint, origin, noteSignature: signNote(formatCheckpointText({ origin, treeSize, rootHash }), origin, this.keys.signingKey).signature };
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
