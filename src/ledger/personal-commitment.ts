/**
 * Commitments to personal values held outside a ledger leaf. The leaf carries only
 * hex SHA-256(salt ‖ UTF-8(value)); the salt and the value live in an erasable table, so retention can
 * delete them without changing any leaf hash, and whoever still holds both can show what was recorded.
 * The salt is secret and 32 random bytes: names, phone numbers and addresses are too guessable to be
 * hidden by a hash alone.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { pooledRandomBytes } from '../common/random-pool';
import { isWellFormedUnicode } from '../common/unicode';

export const COMMITMENT_SALT_SIZE = 32;

export function newCommitmentSalt(): Buffer {
  return pooledRandomBytes(COMMITMENT_SALT_SIZE);
}

/**
 * The value is hashed exactly as given: callers normalise it first (E.164 phone, trimmed name) when two
 * spellings must commit alike.
 */
export function commitPersonalValue(salt: Buffer, value: string): string {
  if (salt.length !== COMMITMENT_SALT_SIZE) {
    throw new RangeError(`commitment salt must be ${COMMITMENT_SALT_SIZE} bytes, got ${salt.length}`);
  }
  // Buffer.from would replace a lone surrogate by U+FFFD, letting two different strings share a commitment.
  if (!isWellFormedUnicode(value)) throw new TypeError('personal value holds a lone surrogate');
  return hash('sha256', Buffer.concat([salt, Buffer.from(value, 'utf8')]), 'hex');
}

/** Whether `commitment` (hex) commits to `value` under `salt`; compared in constant time. */
export function verifyPersonalCommitment(salt: Buffer, value: string, commitment: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(commitment)) return false;
  return timingSafeEqual(Buffer.from(commitPersonalValue(salt, value), 'hex'), Buffer.from(commitment, 'hex'));
}
