/**
 * Signed checkpoints of the ledger: an Ed25519 signature over
 * `lanterne-checkpoint\n<treeSize>\n<rootHash hex>\n<timestamp RFC 3339>\n`.
 * Anyone holding the ledger's public key can check a checkpoint, then check proofs against its root.
 */
import { KeyObject, createPublicKey, sign, verify } from 'node:crypto';
import type { Checkpoint } from './ledger.schemas';

/** What `GET /ledger/checkpoint` answers, declared once by its schema. */
export type { Checkpoint };

export interface TreeHead {
  treeSize: number;
  rootHash: Buffer;
  timestamp: Date;
}

const ROOT_HASH = /^[0-9a-f]{64}$/;
const RFC3339 =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const SIGNATURE_SIZE = 64;
const RAW_PUBLIC_KEY_SIZE = 32;

/** The signed bytes. Throws on a field that does not have its fixed format. */
export function checkpointMessage(treeSize: number, rootHash: string, timestamp: string): Buffer {
  if (!Number.isSafeInteger(treeSize) || treeSize < 0) throw new RangeError(`invalid tree size ${treeSize}`);
  if (!ROOT_HASH.test(rootHash)) throw new TypeError('root hash must be 64 lower-case hex digits');
  if (!isRfc3339(timestamp)) throw new TypeError(`timestamp ${JSON.stringify(timestamp)} is not RFC 3339`);
  return Buffer.from(`lanterne-checkpoint\n${treeSize}\n${rootHash}\n${timestamp}\n`, 'utf8');
}

export function signCheckpoint(privateKey: KeyObject, head: TreeHead): Checkpoint {
  if (privateKey.type !== 'private' || privateKey.asymmetricKeyType !== 'ed25519') {
    throw new TypeError('checkpoints are signed with an Ed25519 private key');
  }
  const rootHash = head.rootHash.toString('hex');
  const timestamp = head.timestamp.toISOString();
  const signature = sign(null, checkpointMessage(head.treeSize, rootHash, timestamp), privateKey);
  return {
    treeSize: head.treeSize,
    rootHash,
    timestamp,
    signature: signature.toString('base64'),
    publicKey: encodePublicKey(createPublicKey(privateKey)),
  };
}

/**
 * Checks the signature against `trustedKey`, never against the key the checkpoint carries (anyone can
 * sign with their own key); a checkpoint naming another key fails too. False for any malformed field.
 */
export function verifyCheckpoint(trustedKey: KeyObject | string, checkpoint: Checkpoint): boolean {
  const key = typeof trustedKey === 'string' ? decodePublicKey(trustedKey) : requireEd25519PublicKey(trustedKey);
  const { treeSize, rootHash, timestamp, signature, publicKey } = checkpoint;
  if (!Number.isSafeInteger(treeSize) || treeSize < 0 || !ROOT_HASH.test(rootHash) || !isRfc3339(timestamp)) {
    return false;
  }
  if (!BASE64.test(signature) || Buffer.from(signature, 'base64').length !== SIGNATURE_SIZE) return false;
  if (!sameKey(key, publicKey)) return false;
  return verify(null, checkpointMessage(treeSize, rootHash, timestamp), key, Buffer.from(signature, 'base64'));
}

/** Base64 SPKI DER, the form checkpoints publish. */
export function encodePublicKey(key: KeyObject): string {
  return requireEd25519PublicKey(key).export({ format: 'der', type: 'spki' }).toString('base64');
}

/** Accepts base64 of SPKI DER or of the raw 32-byte Ed25519 key (RFC 8032 encoding). */
export function decodePublicKey(encoded: string): KeyObject {
  if (!BASE64.test(encoded)) throw new TypeError('public key is not base64');
  const bytes = Buffer.from(encoded, 'base64');
  const key =
    bytes.length === RAW_PUBLIC_KEY_SIZE
      ? createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: bytes.toString('base64url') }, format: 'jwk' })
      : createPublicKey({ key: bytes, format: 'der', type: 'spki' });
  return requireEd25519PublicKey(key);
}

function requireEd25519PublicKey(key: KeyObject): KeyObject {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new TypeError('the ledger key must be Ed25519');
  return publicKey;
}

function sameKey(key: KeyObject, encoded: string): boolean {
  try {
    return encodePublicKey(decodePublicKey(encoded)) === encodePublicKey(key);
  } catch {
    return false;
  }
}

/** RFC 3339 §5.6 date-time, with the day checked against its month (Date.parse would roll 02-30 over). */
function isRfc3339(timestamp: string): boolean {
  const match = RFC3339.exec(timestamp);
  if (!match) return false;
  const year = Number(timestamp.slice(0, 4));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const daysInMonth = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Number(match[1]) - 1];
  return Number(match[2]) <= daysInMonth;
}
