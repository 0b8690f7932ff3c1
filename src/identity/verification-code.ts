import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

/** Six digits drawn from the CSPRNG, leading zeros kept. */
export function newVerificationCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * What is kept to check a code: an HMAC under the subscriber's data key, bound to the verification.
 * A plain hash of six digits falls to a million guesses; this one cannot be tested without the key,
 * which only the master key unwraps.
 */
export function hashVerificationCode(dataKey: Buffer, verificationId: string, code: string): Buffer {
  return createHmac('sha256', dataKey).update(`lanterne-verification-code\n${verificationId}\n${code}`).digest();
}

/** Compares in constant time, so the answer's timing says nothing about how close a guess was. */
export function codeMatches(dataKey: Buffer, verificationId: string, typed: string, stored: Buffer): boolean {
  return timingSafeEqual(hashVerificationCode(dataKey, verificationId, typed), stored);
}
