import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { cosign, formatNote, formatSignatureLine, formatVerifierKey, NoteFormatError, SIGNATURE_TYPE, verifierKeyOf, VerifierKey, verifyNote } from '../common/signed-note';
import { APP_CONFIG, AppConfig, KeyMaterial } from '../config/config';
import { KEY_MATERIAL } from '../config/config.module';
import { emptyRoot, verifyConsistency } from '../ledger/merkle';
import { AddCheckpointRequest, parseAddCheckpoint } from './add-checkpoint';
import { WitnessError, WitnessErrorCode } from './witness.errors';
import { lockWitnessedLog, readWitnessedLog, saveWitnessedLog } from './witness.store';

/**
 * Lanterne as a c2sp.org/tlog-witness witness of other logs (LANTERNE_WITNESS_LOGS): it cosigns a
 * checkpoint only if it is signed by the log's key and consistent with the latest one it cosigned for
 * that origin, so that a log cannot show two histories to two audiences without one witness refusing.
 * Nothing here is recorded in the ledger: what is witnessed is public, and an entry per cosignature
 * would make two instances that witness each other sign checkpoints for each other without end.
 */
@Injectable()
export class WitnessService {
  private readonly logs: Map<string, VerifierKey>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(KEY_MATERIAL) private readonly keys: KeyMaterial,
  ) {
    this.logs = new Map(config.witness.logs.map((key) => [key.name, key]));
  }

  /** This witness's cosigner key as a vkey (type 0x04), for log operators to configure; null without a key. */
  verifierKey(): string | null {
    return this.keys.witnessKey ? formatVerifierKey(verifierKeyOf(this.config.witness.name, SIGNATURE_TYPE.cosignatureV1, this.keys.witnessKey)) : null;
  }

  /** add-checkpoint: the checks in the specification's order, then the cosignature line(s) to answer. */
  async addCheckpoint(body: string): Promise<string> {
    const request = this.parse(body);
    const { checkpoint } = request;
    const logKey = this.logs.get(checkpoint.origin);
    const witnessKey = this.keys.witnessKey;
    if (!logKey || !witnessKey) throw new WitnessError(WitnessErrorCode.UnknownOrigin, `This witness follows no log of origin ${checkpoint.origin.slice(0, 200)}.`);
    const verdict = verifyNote(request.note, [logKey]);
    if (verdict.verified.length === 0) {
      throw new WitnessError(WitnessErrorCode.Untrusted, verdict.failed.length > 0 ? "The log key's signature does not verify." : 'The checkpoint bears no signature of the log key this witness trusts.');
    }
    if (request.oldSize > checkpoint.treeSize) {
      throw new WitnessError(WitnessErrorCode.Malformed, `The old size (${request.oldSize}) is above the checkpoint's (${checkpoint.treeSize}).`, { errors: [{ path: 'old', message: 'must not exceed the checkpoint size' }] });
    }
    return this.dataSource.transaction(async (em) => {
      const held = await lockWitnessedLog(em, checkpoint.origin);
      const heldSize = held?.treeSize ?? 0;
      if (request.oldSize !== heldSize) throw sizeMismatch(heldSize);
      this.assertConsistent(request, held?.rootHash ?? emptyRoot());
      const at = this.clock.now();
      // A zero timestamp is forbidden: before 1970 plus a second, a clock is wrong, not early.
      const line = cosign(request.note.text, this.config.witness.name, witnessKey, Math.max(1, Math.floor(at.getTime() / 1000)));
      const logLines = request.note.signatures.filter((s) => s.name === logKey.name && s.keyId.equals(logKey.keyId));
      const saved = await saveWitnessedLog(em, checkpoint.origin, { treeSize: checkpoint.treeSize, rootHash: checkpoint.rootHash, checkpoint: formatNote(request.note.text, [...logLines, line]) }, at, held !== null);
      if (!saved) {
        // A concurrent first add for this origin won the insert; its size is what this one must extend.
        throw sizeMismatch((await readWitnessedLog(this.dataSource.manager, checkpoint.origin))?.treeSize ?? 0);
      }
      return formatSignatureLine(line);
    });
  }

  /** The latest cosigned checkpoint of the log whose origin hashes to `originHash` (the monitoring API). */
  async latest(originHash: string): Promise<string> {
    const origin = [...this.logs.keys()].find((name) => createHash('sha256').update(name, 'utf8').digest('hex') === originHash);
    const held = origin === undefined ? null : await readWitnessedLog(this.dataSource.manager, origin);
    if (!held?.checkpoint) throw new WitnessError(WitnessErrorCode.UnknownOrigin, 'This witness has cosigned no checkpoint for that origin.');
    return held.checkpoint;
  }

  private parse(body: string): AddCheckpointRequest {
    try {
      return parseAddCheckpoint(body);
    } catch (error) {
      if (!(error instanceof NoteFormatError)) throw error;
      throw new WitnessError(WitnessErrorCode.Malformed, `Not an add-checkpoint request: ${error.message}.`, { errors: [{ path: '', message: error.message }] });
    }
  }

  /** The consistency checks of add-checkpoint, against the tree held (the empty tree when none). */
  private assertConsistent({ oldSize, proof, checkpoint }: AddCheckpointRequest, heldRoot: Buffer): void {
    const refuse = (detail: string) => new WitnessError(WitnessErrorCode.Inconsistent, detail);
    if (checkpoint.treeSize === 0 && !checkpoint.rootHash.equals(emptyRoot())) throw refuse('A checkpoint of size 0 must have the root of the empty tree.');
    if (oldSize === 0 && proof.length > 0) throw refuse('From size 0 the consistency proof is empty.');
    if (oldSize === checkpoint.treeSize && oldSize > 0 && !checkpoint.rootHash.equals(heldRoot)) {
      throw refuse(`This witness cosigned another root at size ${oldSize}: the log shows two views of the same tree.`);
    }
    if (!verifyConsistency(oldSize, checkpoint.treeSize, oldSize === 0 ? emptyRoot() : heldRoot, checkpoint.rootHash, proof)) {
      throw refuse(`The consistency proof from size ${oldSize} to ${checkpoint.treeSize} does not verify.`);
    }
  }
}

const sizeMismatch = (treeSize: number) =>
  new WitnessError(WitnessErrorCode.OldSizeMismatch, `The latest checkpoint cosigned for this origin has ${treeSize} entries.`, { treeSize });

