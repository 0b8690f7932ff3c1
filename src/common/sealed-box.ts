import { createCipheriv, createDecipheriv } from 'node:crypto';
import { pooledRandomBytes } from './random-pool';

const IV_SIZE = 12;
const TAG_SIZE = 16;

/**
 * AES-256-GCM under a key that is not in the database, so a stolen dump reveals no personal value.
 * `context` is authenticated but not stored: a sealed value moved to another row (another context)
 * no longer opens. Layout: iv ‖ tag ‖ ciphertext.
 */
export function seal(key: Buffer, plaintext: Buffer, context: string): Buffer {
  const iv = pooledRandomBytes(IV_SIZE);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

/** Throws when the box was altered, sealed under another key, or sealed for another context. */
export function open(key: Buffer, sealed: Buffer, context: string): Buffer {
  if (sealed.length < IV_SIZE + TAG_SIZE) throw new Error('sealed value is truncated');
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_SIZE))
    .setAAD(Buffer.from(context, 'utf8'))
    .setAuthTag(sealed.subarray(IV_SIZE, IV_SIZE + TAG_SIZE));
  return Buffer.concat([decipher.update(sealed.subarray(IV_SIZE + TAG_SIZE)), decipher.final()]);
}
