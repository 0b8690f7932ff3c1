/**
 * c2sp.org/tlog-proof@v1: an offline-verifiable proof that an entry is in the ledger, for a member to
 * keep. The `extra` line carries the entry's leaf hash, a convenience only (the spec says extra data
 * is not authenticated): the reader hashes the leaf it holds and the inclusion proof binds that hash.
 */
import { isBase64, NoteFormatError } from '../common/signed-note';
import { checkCheckpointNote, WitnessPolicy } from './c2sp-checkpoint';
import { HASH_SIZE, verifyInclusion } from './merkle';
import type { VerifierKey } from '../common/signed-note';

const HEADER = 'c2sp.org/tlog-proof@v1';
const DECIMAL = /^(0|[1-9]\d*)$/;

export interface TlogProof {
  extra?: Buffer;
  index: number;
  path: Buffer[];
  /** The checkpoint, verbatim: its note with the log's signature and cosignatures. */
  checkpoint: string;
}

export function formatTlogProof(proof: TlogProof): string {
  const extra = proof.extra ? `extra ${proof.extra.toString('base64')}\n` : '';
  return `${HEADER}\n${extra}index ${proof.index}\n${proof.path.map((hash) => `${hash.toString('base64')}\n`).join('')}\n${proof.checkpoint}`;
}

export function parseTlogProof(text: string): TlogProof {
  const lines = text.split('\n');
  if (lines[0] !== HEADER) throw new NoteFormatError(`a tlog proof starts with ${HEADER}`);
  let at = 1;
  let extra: Buffer | undefined;
  if (lines[at]?.startsWith('extra ')) {
    const encoded = lines[at].slice('extra '.length);
    if (!isBase64(encoded)) throw new NoteFormatError('the extra line is base64');
    extra = Buffer.from(encoded, 'base64');
    at++;
  }
  const index = /^index (.*)$/.exec(lines[at] ?? '')?.[1];
  if (index === undefined || !DECIMAL.test(index) || !Number.isSafeInteger(Number(index))) throw new NoteFormatError('a tlog proof names its index: "index <decimal>"');
  at++;
  const path: Buffer[] = [];
  for (; at < lines.length && lines[at] !== ''; at++) {
    if (!isBase64(lines[at]) || Buffer.from(lines[at], 'base64').length !== HASH_SIZE) throw new NoteFormatError('each inclusion proof line is the base64 of a SHA-256 hash');
    path.push(Buffer.from(lines[at], 'base64'));
  }
  if (at >= lines.length) throw new NoteFormatError('a blank line separates the inclusion proof from the checkpoint');
  return { extra, index: Number(index), path, checkpoint: lines.slice(at + 1).join('\n') };
}

export type TlogProofCheck = { ok: true; index: number; treeSize: number; cosigners: string[] } | { ok: false; reason: string };

/** The spec's steps: the leaf hash (the caller's), the log's signature, the witness policy, then the inclusion proof. */
export function verifyTlogProof(text: string, leafHash: Buffer, logKey: VerifierKey, policy: WitnessPolicy): TlogProofCheck {
  let proof: TlogProof;
  try {
    proof = parseTlogProof(text);
  } catch (error) {
    if (error instanceof NoteFormatError) return { ok: false, reason: `the proof is malformed: ${error.message}` };
    throw error;
  }
  const note = checkCheckpointNote(proof.checkpoint, logKey, policy);
  if (!note.ok) return note;
  const { treeSize, rootHash } = note.checkpoint;
  if (!verifyInclusion(leafHash, proof.index, treeSize, proof.path, rootHash)) {
    return { ok: false, reason: `the inclusion proof does not bind this leaf hash to index ${proof.index} of the signed tree of ${treeSize} entries` };
  }
  return { ok: true, index: proof.index, treeSize, cosigners: note.cosigners };
}
