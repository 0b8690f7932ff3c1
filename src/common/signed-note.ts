/**
 * C2SP signed notes (c2sp.org/signed-note), checkpoints (c2sp.org/tlog-checkpoint) and Ed25519
 * cosignatures (c2sp.org/tlog-cosignature, `cosignature/v1`): encoding, parsing, key ids, verifier
 * keys, signing and verifying. Pure functions over bytes and strings, shared by the ledger (which
 * signs its checkpoints and collects cosignatures), the witness (which cosigns other logs) and the
 * configuration (which reads verifier keys).
 */
import { createHash, createPublicKey, KeyObject, sign, verify } from 'node:crypto';
import { isWellFormedUnicode } from './unicode';

/** Signature type bytes of signed-note §Signature types. */
export const SIGNATURE_TYPE = { ed25519: 0x01, cosignatureV1: 0x04 } as const;
export type SignatureType = (typeof SIGNATURE_TYPE)[keyof typeof SIGNATURE_TYPE];

/** Notes larger than this are refused: the spec asks verifiers for a limit, and at least 16 signatures. */
export const MAX_NOTE_BYTES = 64 * 1024;
export const MAX_SIGNATURES = 32;

const EM_DASH = '\u2014';
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
/** Key names: non-empty, no Unicode space, no plus (and, the note being free of them, no control character). */
const KEY_NAME = /^[^\s+\p{Cc}\p{Zs}\u2028\u2029]+$/u;
const DECIMAL = /^(0|[1-9]\d*)$/;
const ED25519_SIGNATURE = 64;
const ED25519_PUBLIC_KEY = 32;

export class NoteFormatError extends Error {}

export interface NoteSignature {
  name: string;
  /** The 4-byte key id, big-endian. */
  keyId: Buffer;
  /** What follows the key id: the signature proper (for a cosignature, timestamp ‖ signature). */
  signature: Buffer;
}

export interface Note {
  /** The signed text, final newline included. */
  text: string;
  signatures: NoteSignature[];
}

export interface VerifierKey {
  name: string;
  keyId: Buffer;
  type: SignatureType;
  /** The 32-byte Ed25519 public key (RFC 8032 encoding). */
  publicKey: Buffer;
}

export const isKeyName = (name: string) => KEY_NAME.test(name);
export const isBase64 = (text: string) => BASE64.test(text);

/** key ID = SHA-256(key name ‖ 0x0A ‖ signature type ‖ public key)[:4] */
export function keyId(name: string, type: SignatureType, publicKey: Buffer): Buffer {
  return createHash('sha256').update(name, 'utf8').update(Buffer.from([0x0a, type])).update(publicKey).digest().subarray(0, 4);
}

/** `<name>+<hex key id>+base64(type ‖ public key)` */
export function formatVerifierKey(key: Omit<VerifierKey, 'keyId'>): string {
  return `${key.name}+${keyId(key.name, key.type, key.publicKey).toString('hex')}+${Buffer.concat([Buffer.from([key.type]), key.publicKey]).toString('base64')}`;
}

/** Parses a vkey of an Ed25519 type; the key id it states must be the one its key and name give. */
export function parseVerifierKey(vkey: string, expected?: SignatureType): VerifierKey {
  // The name holds no "+" and the id is hex: the key's base64, which may, is all after the second.
  const match = /^([^+]*)\+([^+]*)\+(.*)$/s.exec(vkey);
  if (!match) throw new NoteFormatError('a verifier key is <name>+<key id>+<key>');
  const [, name, hexId, encoded] = match;
  if (!isKeyName(name)) throw new NoteFormatError('the key name must be non-empty, without spaces or "+"');
  if (!/^[0-9a-f]{8}$/.test(hexId)) throw new NoteFormatError('the key id must be 8 lower-case hex digits');
  if (!isBase64(encoded)) throw new NoteFormatError('the key must be base64');
  const bytes = Buffer.from(encoded, 'base64');
  const type = bytes[0] as SignatureType;
  if (type !== SIGNATURE_TYPE.ed25519 && type !== SIGNATURE_TYPE.cosignatureV1) throw new NoteFormatError(`signature type 0x${(bytes[0] ?? 0).toString(16)} is not supported (Ed25519 0x01 or cosignature/v1 0x04)`);
  if (expected !== undefined && type !== expected) throw new NoteFormatError(`the key must be of signature type 0x0${expected}`);
  const publicKey = bytes.subarray(1);
  if (publicKey.length !== ED25519_PUBLIC_KEY) throw new NoteFormatError('an Ed25519 key is 32 bytes');
  if (!keyId(name, type, publicKey).equals(Buffer.from(hexId, 'hex'))) throw new NoteFormatError('the key id does not match the name and key');
  return { name, keyId: Buffer.from(hexId, 'hex'), type, publicKey };
}

/** The raw 32-byte public key of an Ed25519 key (private or public). */
export function rawEd25519PublicKey(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new TypeError('an Ed25519 key is needed');
  return Buffer.from(publicKey.export({ format: 'jwk' }).x as string, 'base64url');
}

export function verifierKeyOf(name: string, type: SignatureType, key: KeyObject): VerifierKey {
  const publicKey = rawEd25519PublicKey(key);
  return { name, type, publicKey, keyId: keyId(name, type, publicKey) };
}

const publicKeyObject = (raw: Buffer) => createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });

/**
 * Splits a note into its text and signature lines: the text ends at the last blank line. Throws a
 * NoteFormatError naming what is wrong; unknown signature lines are kept (verifiers ignore them).
 */
export function parseNote(note: string): Note {
  if (Buffer.byteLength(note, 'utf8') > MAX_NOTE_BYTES) throw new NoteFormatError(`a note is at most ${MAX_NOTE_BYTES} bytes`);
  // A lone surrogate would not survive UTF-8: such a string came from no valid UTF-8 note.
  if (!isWellFormedUnicode(note)) throw new NoteFormatError('a note is valid UTF-8');
  if (/[^\P{Cc}\n\u007f-\u009f]/u.test(note)) throw new NoteFormatError('a note holds no control character but newline');
  if (!note.endsWith('\n')) throw new NoteFormatError('a note ends with a newline');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new NoteFormatError('a note has a blank line before its signatures');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new NoteFormatError(`a note has at most ${MAX_SIGNATURES} signatures`);
  return { text, signatures: lines.map(parseSignatureLine) };
}

/** `— <key name> base64(key id ‖ signature)`, without its newline. */
export function parseSignatureLine(line: string): NoteSignature {
  const match = /^\u2014 (\S+) (\S+)$/u.exec(line);
  if (!match || !isKeyName(match[1])) throw new NoteFormatError('a signature line is "— <key name> <base64 signature>"');
  if (!isBase64(match[2])) throw new NoteFormatError('a signature is base64');
  const bytes = Buffer.from(match[2], 'base64');
  if (bytes.length < 5) throw new NoteFormatError('a signature holds a 4-byte key id and the signature');
  return { name: match[1], keyId: bytes.subarray(0, 4), signature: bytes.subarray(4) };
}

export function formatSignatureLine(signature: NoteSignature): string {
  return `${EM_DASH} ${signature.name} ${Buffer.concat([signature.keyId, signature.signature]).toString('base64')}\n`;
}

export function formatNote(text: string, signatures: readonly NoteSignature[]): string {
  return `${text}\n${signatures.map(formatSignatureLine).join('')}`;
}

const matches = (signature: NoteSignature, key: VerifierKey) => signature.name === key.name && signature.keyId.equals(key.keyId);

/** An Ed25519 note signature (type 0x01) over the text. */
export function signNote(text: string, name: string, privateKey: KeyObject): NoteSignature {
  const key = verifierKeyOf(name, SIGNATURE_TYPE.ed25519, privateKey);
  return { name, keyId: key.keyId, signature: sign(null, Buffer.from(text, 'utf8'), privateKey) };
}

/** The verdict on a note's signatures by the known keys: the valid ones, and the known ones that failed. */
export interface NoteVerdict {
  verified: VerifierKey[];
  failed: VerifierKey[];
  /** Cosignature timestamps (seconds), by key name, for the valid cosignatures. */
  timestamps: Map<string, number>;
}

/**
 * Verifies the signatures of known keys (name and key id both match), ignoring every other line.
 * Ed25519 keys verify the text; cosignature/v1 keys verify `cosignature/v1\ntime <t>\n` ‖ the text.
 */
export function verifyNote(note: Note, keys: readonly VerifierKey[]): NoteVerdict {
  const verdict: NoteVerdict = { verified: [], failed: [], timestamps: new Map() };
  for (const key of keys) {
    const lines = note.signatures.filter((signature) => matches(signature, key));
    if (lines.length === 0) continue;
    const valid = lines.map((line) => checkSignature(key, note.text, line.signature));
    if (valid.some((ok) => ok === null)) verdict.failed.push(key);
    else {
      verdict.verified.push(key);
      const timestamp = valid.find((ok) => typeof ok === 'number');
      if (typeof timestamp === 'number') verdict.timestamps.set(key.name, timestamp);
    }
  }
  return verdict;
}

/** True (or the cosignature's timestamp) when the signature verifies; null when it does not. */
function checkSignature(key: VerifierKey, text: string, signature: Buffer): true | number | null {
  const publicKey = publicKeyObject(key.publicKey);
  if (key.type === SIGNATURE_TYPE.ed25519) {
    return signature.length === ED25519_SIGNATURE && verify(null, Buffer.from(text, 'utf8'), publicKey, signature) ? true : null;
  }
  if (signature.length !== 8 + ED25519_SIGNATURE) return null;
  const timestamp = signature.readBigUInt64BE(0);
  if (timestamp >= 2n ** 63n) return null;
  const seconds = Number(timestamp);
  return verify(null, cosignatureMessage(seconds, text), publicKey, signature.subarray(8)) ? seconds : null;
}

// ---------------------------------------------------------------------------------------------------------
// Cosignatures (tlog-cosignature, Ed25519, signature type 0x04)
// ---------------------------------------------------------------------------------------------------------

/** `cosignature/v1\ntime <seconds>\n` ‖ the checkpoint's note text. */
export function cosignatureMessage(timestamp: number, checkpointText: string): Buffer {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) throw new RangeError('a cosignature timestamp is a non-negative integer of seconds');
  return Buffer.from(`cosignature/v1\ntime ${timestamp}\n${checkpointText}`, 'utf8');
}

export function cosign(checkpointText: string, name: string, privateKey: KeyObject, timestamp: number): NoteSignature {
  const key = verifierKeyOf(name, SIGNATURE_TYPE.cosignatureV1, privateKey);
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64BE(BigInt(timestamp));
  return { name, keyId: key.keyId, signature: Buffer.concat([stamp, sign(null, cosignatureMessage(timestamp, checkpointText), privateKey)]) };
}

// ---------------------------------------------------------------------------------------------------------
// Checkpoints (tlog-checkpoint): origin, tree size, base64 root hash, then optional extension lines
// ---------------------------------------------------------------------------------------------------------

export interface CheckpointBody {
  origin: string;
  treeSize: number;
  rootHash: Buffer;
  /** Opaque extension lines, if the log writes any (the ledger writes none); cosigned with the rest. */
  extensions?: string[];
}

export function formatCheckpointText(body: CheckpointBody): string {
  if (!isKeyName(body.origin)) throw new NoteFormatError('an origin is non-empty, without spaces or "+"');
  if (!Number.isSafeInteger(body.treeSize) || body.treeSize < 0) throw new RangeError(`invalid tree size ${body.treeSize}`);
  if (body.rootHash.length !== 32) throw new RangeError('a root hash is 32 bytes');
  return `${body.origin}\n${body.treeSize}\n${body.rootHash.toString('base64')}\n`;
}

/** Reads a checkpoint's note text: origin, tree size, root hash, then any non-empty extension lines. */
export function parseCheckpointText(text: string): CheckpointBody {
  const lines = text.split('\n');
  if (lines.length < 4 || lines.at(-1) !== '') throw new NoteFormatError('a checkpoint is at least three lines: origin, tree size, root hash');
  const [origin, size, root, ...rest] = lines;
  const extensions = rest.slice(0, -1);
  if (extensions.some((line) => line === '')) throw new NoteFormatError('extension lines are non-empty');
  if (origin === '') throw new NoteFormatError('a checkpoint names its origin');
  if (!DECIMAL.test(size) || !Number.isSafeInteger(Number(size))) throw new NoteFormatError('the tree size is a decimal without leading zeroes');
  if (!isBase64(root) || Buffer.from(root, 'base64').length !== 32) throw new NoteFormatError('the root hash is the base64 of 32 bytes');
  return { origin, treeSize: Number(size), rootHash: Buffer.from(root, 'base64'), ...(extensions.length > 0 ? { extensions } : {}) };
}
