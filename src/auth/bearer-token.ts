import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url, with a prefix that secret scanners and humans recognise. */
export function newBearerToken(): string {
  return `lnt_${randomBytes(32).toString('base64url')}`;
}

/** Tokens carry 256 bits of entropy, so a fast hash is enough; it keeps lookups a single index probe. */
export function hashBearerToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
