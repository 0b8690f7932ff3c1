/**
 * The vault's envelope encryption, as pure functions over src/common/sealed-box.ts (AES-256-GCM).
 * Each subscriber has a data key of 32 random bytes; it is stored only wrapped (sealed) under the
 * master key, which never enters the database. Values are sealed under the data key. Every seal
 * authenticates where the value belongs (the subscriber, the field, and for a verification its id):
 * a ciphertext copied to another row or field no longer opens.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { open, seal } from '../common/sealed-box';

export const newDataKey = (): Buffer => randomBytes(32);

const dataKeyContext = (subscriberId: string) => `lanterne-data-key\n${subscriberId}`;

export function wrapDataKey(masterKey: Buffer, subscriberId: string, dataKey: Buffer): Buffer {
  return seal(masterKey, dataKey, dataKeyContext(subscriberId));
}

export function unwrapDataKey(masterKey: Buffer, subscriberId: string, wrapped: Buffer): Buffer {
  return open(masterKey, wrapped, dataKeyContext(subscriberId));
}

/** The fields of a verified identity. */
export type IdentityField = 'legal_name' | 'contact';
/** The fields of a verification while it is pending. */
export type VerificationField = 'code' | 'legal_name' | 'contact';

const identityContext = (subscriberId: string, field: IdentityField) => `lanterne-identity\n${subscriberId}\n${field}`;
const verificationContext = (subscriberId: string, verificationId: string, field: VerificationField) =>
  `lanterne-verification\n${subscriberId}\n${verificationId}\n${field}`;

export function sealIdentityField(dataKey: Buffer, subscriberId: string, field: IdentityField, value: string): Buffer {
  return seal(dataKey, Buffer.from(value, 'utf8'), identityContext(subscriberId, field));
}

export function openIdentityField(dataKey: Buffer, subscriberId: string, field: IdentityField, sealed: Buffer): string {
  return open(dataKey, sealed, identityContext(subscriberId, field)).toString('utf8');
}

export function sealVerificationField(dataKey: Buffer, subscriberId: string, verificationId: string, field: VerificationField, value: string): Buffer {
  return seal(dataKey, Buffer.from(value, 'utf8'), verificationContext(subscriberId, verificationId, field));
}

export function openVerificationField(dataKey: Buffer, subscriberId: string, verificationId: string, field: VerificationField, sealed: Buffer): string {
  return open(dataKey, sealed, verificationContext(subscriberId, verificationId, field)).toString('utf8');
}

/**
 * Names a master key without revealing it: an HMAC under the key itself, so the database can say
 * which key wraps each data key (and which one the service must start with) while a dump gives
 * nothing to test guesses against but a 256-bit key.
 */
export function masterKeyFingerprint(masterKey: Buffer): string {
  return createHmac('sha256', masterKey).update('lanterne-master-key-fingerprint').digest('hex').slice(0, 32);
}
