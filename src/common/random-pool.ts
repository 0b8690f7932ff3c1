import { randomBytes } from 'node:crypto';

/**
 * Random bytes from the CSPRNG, drawn a few kilobytes at a time: for salts and IVs of a few dozen
 * bytes, each randomBytes() call costs far more than the bytes (as randomUUID caches its entropy too).
 * Every byte is handed out once, as a copy, so no caller's buffer shares memory with another's.
 */
const POOL_SIZE = 4096;
let pool = randomBytes(POOL_SIZE);
let used = 0;

export function pooledRandomBytes(size: number): Buffer {
  if (size > POOL_SIZE) return randomBytes(size);
  if (used + size > POOL_SIZE) {
    pool = randomBytes(POOL_SIZE);
    used = 0;
  }
  const bytes = Buffer.from(pool.subarray(used, used + size));
  // The bytes handed out are wiped from the pool, so a later dump of it shows nothing already in use.
  pool.fill(0, used, used + size);
  used += size;
  return bytes;
}
