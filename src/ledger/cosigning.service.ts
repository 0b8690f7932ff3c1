import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { formatSignatureLine, formatVerifierKey, NoteFormatError, parseSignatureLine, verifyNote } from '../common/signed-note';
import { APP_CONFIG, AppConfig, WitnessEndpoint } from '../config/config';
import { JobRegistry } from '../queue/job-registry';
import { checkpointNote, checkpointText, NotedCheckpoint } from './c2sp-checkpoint';
import { CheckpointService } from './checkpoint.service';
import { LedgerReader } from './ledger-reader.service';
import { formatTlogProof } from './tlog-proof';
import { insertCosignature, readCosignatures, readLastCosignedSize, readNotedCheckpoint } from './ledger.store';

/**
 * Asks the configured witnesses (LANTERNE_WITNESSES) to cosign the ledger's latest checkpoint, by
 * c2sp.org/tlog-witness add-checkpoint with a consistency proof from the size each last cosigned, and
 * keeps the cosignatures beside the checkpoints. A job (`ledger/cosign`) per issued checkpoint, retried
 * with backoff; each run asks only the witnesses that have not cosigned the latest tree yet.
 */
@Injectable()
export class Cosigning {
  private readonly logger = new Logger('Cosigning');

  constructor(
    @InjectQueue('ledger') private readonly queue: Queue,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly reader: LedgerReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    jobs: JobRegistry,
    private readonly checkpoints: CheckpointService,
  ) {
    jobs.register('ledger', 'cosign', z.object({ treeSize: z.number().int().min(0) }), () => this.collect());
    checkpoints.onIssued((treeSize) => this.request(treeSize));
  }

  /** Queues the job for a stored checkpoint; a Redis that cannot take it now leaves it to the sweep. */
  async request(treeSize: number): Promise<void> {
    if (this.config.transparency.witnesses.length === 0) return;
    try {
      await this.queue.add('cosign', { treeSize }, { jobId: `cosign-${treeSize}`, attempts: 6, backoff: { type: 'exponential', delay: 2000 }, removeOnComplete: true, removeOnFail: 100 });
    } catch (error) {
      this.logger.warn({ treeSize, error: (error as Error).message }, 'cannot queue the cosigning yet; the sweep will');
    }
  }

  /** For the sweep: queues the job when a witness has not cosigned the latest checkpoint. */
  async requestIfMissing(): Promise<void> {
    const noted = await this.latest();
    if (noted && (await this.missing(noted)).length > 0) await this.request(noted.checkpoint.treeSize);
  }

  /** The latest checkpoint note (or the one of `treeSize` leaves), with the cosignature lines stored for its tree. */
  async note(treeSize?: number): Promise<string> {
    const noted = await this.checkpoints.noted(treeSize);
    return checkpointNote(noted, (await this.cosignaturesOf(noted)).map((c) => c.line));
  }

  /** A c2sp.org/tlog-proof of leaf `index` in the checkpoint of `treeSize` leaves, its leaf hash as `extra`. */
  async tlogProof(index: number, treeSize: number): Promise<string> {
    const { path } = await this.reader.inclusionProof(index, treeSize);
    const checkpoint = await this.note(treeSize);
    return formatTlogProof({ extra: await this.reader.leafHash(index), index, path: path.map((hash) => Buffer.from(hash, 'hex')), checkpoint });
  }

  /** Asks every witness that has not cosigned the latest checkpoint; throws (for a retry) when one failed. */
  async collect(): Promise<{ cosigned: string[] }> {
    const noted = await this.latest();
    if (!noted) return { cosigned: [] };
    const failures: string[] = [];
    const cosigned: string[] = [];
    for (const witness of await this.missing(noted)) {
      try {
        await this.ask(witness, noted);
        cosigned.push(witness.key.name);
      } catch (error) {
        failures.push(`${witness.key.name}: ${(error as Error).message}`);
      }
    }
    if (failures.length > 0) {
      this.logger.warn({ treeSize: noted.checkpoint.treeSize, failures }, 'witnesses did not cosign');
      throw new Error(`not cosigned by ${failures.join('; ')}`);
    }
    return { cosigned };
  }

  private latest(): Promise<NotedCheckpoint | null> {
    return readNotedCheckpoint(this.dataSource.manager, this.config.transparency.origin);
  }

  private cosignaturesOf(noted: NotedCheckpoint) {
    return readCosignatures(this.dataSource.manager, noted.origin, noted.checkpoint.treeSize, Buffer.from(noted.checkpoint.rootHash, 'hex'));
  }

  private async missing(noted: NotedCheckpoint): Promise<WitnessEndpoint[]> {
    const have = new Set((await this.cosignaturesOf(noted)).map((c) => c.witnessVkey));
    return this.config.transparency.witnesses.filter((witness) => !have.has(formatVerifierKey(witness.key)));
  }

  /**
   * add-checkpoint from the size this witness last cosigned; a 409 names the size it holds, and the
   * request is made once more from there (a witness that lost its state, or one asked for the first time).
   */
  private async ask(witness: WitnessEndpoint, noted: NotedCheckpoint): Promise<void> {
    const vkey = formatVerifierKey(witness.key);
    let old = await readLastCosignedSize(this.dataSource.manager, noted.origin, vkey);
    for (let attempt = 0; ; attempt++) {
      const answer = await this.post(witness, await this.requestBody(old, noted));
      if (answer.status === 200) return this.keep(witness, noted, answer.text);
      const held = /^(0|[1-9]\d*)\n$/.exec(answer.text)?.[1];
      if (answer.status === 409 && held !== undefined && attempt === 0) {
        if (Number(held) > noted.checkpoint.treeSize) throw new Error(`it holds a tree of ${held} entries, larger than the ${noted.checkpoint.treeSize} signed here`);
        old = Number(held);
        continue;
      }
      throw new Error(`add-checkpoint answered ${answer.status}`);
    }
  }

  private async requestBody(old: number, noted: NotedCheckpoint): Promise<string> {
    const proof = old === 0 || old === noted.checkpoint.treeSize ? [] : (await this.reader.consistencyProof(old, noted.checkpoint.treeSize)).path;
    return `old ${old}\n${proof.map((hash) => `${Buffer.from(hash, 'hex').toString('base64')}\n`).join('')}\n${checkpointNote(noted)}`;
  }

  private async post(witness: WitnessEndpoint, body: string): Promise<{ status: number; text: string }> {
    const response = await fetch(`${witness.url}/add-checkpoint`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
      body,
      signal: AbortSignal.timeout(this.config.transparency.timeoutMs),
    });
    return { status: response.status, text: await response.text() };
  }

  /** Keeps the witness's line that verifies over the checkpoint; anything else it answered is ignored (unknown keys). */
  private async keep(witness: WitnessEndpoint, noted: NotedCheckpoint, answer: string): Promise<void> {
    const text = checkpointText(noted);
    const lines = answer.split('\n').filter(Boolean);
    let signatures;
    try {
      signatures = lines.map(parseSignatureLine);
    } catch (error) {
      if (error instanceof NoteFormatError) throw new Error(`it answered malformed signature lines: ${error.message}`);
      throw error;
    }
    const line = signatures.find((s) => s.name === witness.key.name && s.keyId.equals(witness.key.keyId));
    const timestamp = line && verifyNote({ text, signatures: [line] }, [witness.key]).timestamps.get(witness.key.name);
    if (!line || timestamp === undefined) throw new Error('its answer holds no valid cosignature of this checkpoint');
    await insertCosignature(this.dataSource.manager, {
      origin: noted.origin,
      treeSize: noted.checkpoint.treeSize,
      rootHash: Buffer.from(noted.checkpoint.rootHash, 'hex'),
      witnessVkey: formatVerifierKey(witness.key),
      line: formatSignatureLine(line).slice(0, -1),
      cosignedAt: new Date(timestamp * 1000),
    });
  }
}
