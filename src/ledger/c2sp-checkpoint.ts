/**
 * The ledger's checkpoints in the C2SP formats: a signed note whose text is the tlog-checkpoint body
 * (origin, tree size, base64 root), signed with the ledger key under the origin as key name, followed
 * by the cosignatures witnesses returned; and the check of such a note against a policy of trusted
 * witnesses and a quorum, which is what `lanterne verify` and a tlog-proof reader do.
 */
import { createPublicKey, KeyObject } from 'node:crypto';
import {
  CheckpointBody,
  formatCheckpointText,
  formatNote,
  NoteFormatError,
  NoteSignature,
  parseCheckpointText,
  parseNote,
  parseSignatureLine,
  SIGNATURE_TYPE,
  verifierKeyOf,
  VerifierKey,
  verifyNote,
} from '../common/signed-note';
import type { Checkpoint } from './checkpoint';

/** A stored checkpoint with its note signature, under the origin it was signed for. */
export interface NotedCheckpoint {
  checkpoint: Checkpoint;
  origin: string;
  noteSignature: Buffer;
}

/** The ledger key as a C2SP verifier key: Ed25519 (0x01), key name = origin. */
export function logVerifierKey(origin: string, key: KeyObject | string): VerifierKey {
  const keyObject = typeof key === 'string' ? createPublicKey({ key: Buffer.from(key, 'base64'), format: 'der', type: 'spki' }) : key;
  return verifierKeyOf(origin, SIGNATURE_TYPE.ed25519, keyObject);
}

export function bodyOf(noted: NotedCheckpoint): CheckpointBody {
  return { origin: noted.origin, treeSize: noted.checkpoint.treeSize, rootHash: Buffer.from(noted.checkpoint.rootHash, 'hex') };
}

export function checkpointText(noted: NotedCheckpoint): string {
  return formatCheckpointText(bodyOf(noted));
}

export function logSignature(noted: NotedCheckpoint): NoteSignature {
  return { name: noted.origin, keyId: logVerifierKey(noted.origin, noted.checkpoint.publicKey).keyId, signature: noted.noteSignature };
}

/** The signed note: the log's signature first, then each stored cosignature line. */
export function checkpointNote(noted: NotedCheckpoint, cosignatureLines: readonly string[] = []): string {
  return formatNote(checkpointText(noted), [logSignature(noted), ...cosignatureLines.map(parseSignatureLine)]);
}

export interface WitnessPolicy {
  witnesses: readonly VerifierKey[];
  quorum: number;
}

export type NoteCheck =
  | { ok: true; checkpoint: CheckpointBody; cosigners: string[]; timestamps: Map<string, number> }
  | { ok: false; reason: string; splitView?: boolean };

/**
 * A checkpoint note holds when the log key signed it, no known key's signature fails, and at least
 * `quorum` of the policy's witnesses cosigned it. A witness line that does not verify over the note is
 * a witness that cosigned another tree: a split view, reported as such.
 */
export function checkCheckpointNote(note: string, logKey: VerifierKey, policy: WitnessPolicy): NoteCheck {
  let parsed;
  let checkpoint: CheckpointBody;
  try {
    parsed = parseNote(note);
    checkpoint = parseCheckpointText(parsed.text);
  } catch (error) {
    if (error instanceof NoteFormatError) return { ok: false, reason: `the checkpoint note is malformed: ${error.message}` };
    throw error;
  }
  if (checkpoint.origin !== logKey.name) return { ok: false, reason: `the checkpoint is for origin ${checkpoint.origin}, not ${logKey.name}` };
  const log = verifyNote(parsed, [logKey]);
  if (log.verified.length === 0) return { ok: false, reason: 'the checkpoint note is not signed by the log key' };
  const witnesses = verifyNote(parsed, policy.witnesses);
  if (witnesses.failed.length > 0) {
    return {
      ok: false,
      splitView: true,
      reason: `${witnesses.failed.map((key) => key.name).join(', ')} cosigned another tree than this one of ${checkpoint.treeSize} entries: the log shows different views (split view)`,
    };
  }
  const cosigners = witnesses.verified.map((key) => key.name);
  if (cosigners.length < policy.quorum) {
    return { ok: false, reason: `${cosigners.length} of the ${policy.quorum} witness cosignatures the policy requires (${cosigners.join(', ') || 'none'})` };
  }
  return { ok: true, checkpoint, cosigners, timestamps: witnesses.timestamps };
}
