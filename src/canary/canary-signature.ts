/**
 * The warrant canary's signature: Ed25519 by the ledger key over
 * `lanterne-canary\n<issuedAt>\n<renewBy>\n<SHA-256 of the statement, hex>\n`, the instants as
 * `Date.toISOString()` writes them (UTC, milliseconds, Z). docs/ledger.md describes it for whoever
 * checks a canary by other means than `lanterne verify-canary`. No Nest or database imports.
 */
import { createHash, KeyObject, sign, verify } from 'node:crypto';
import { decodePublicKey, encodePublicKey } from '../ledger/checkpoint';

const CANONICAL_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SIGNATURE_SIZE = 64;

export interface SignedCanary {
  statement: string;
  issuedAt: string;
  renewBy: string;
  signature: string;
  publicKey: string;
}

export function statementHash(statement: string): string {
  return createHash('sha256').update(statement, 'utf8').digest('hex');
}

/** The signed text. Throws on an instant not in its one canonical form. */
export function canaryText(issuedAt: string, renewBy: string, statement: string): string {
  for (const instant of [issuedAt, renewBy]) {
    if (!CANONICAL_INSTANT.test(instant) || new Date(instant).toISOString() !== instant) throw new TypeError(`${JSON.stringify(instant)} is not an instant as toISOString() writes it`);
  }
  return `lanterne-canary\n${issuedAt}\n${renewBy}\n${statementHash(statement)}\n`;
}

export function signCanary(privateKey: KeyObject, canary: { statement: string; issuedAt: Date; renewBy: Date }): SignedCanary {
  const issuedAt = canary.issuedAt.toISOString();
  const renewBy = canary.renewBy.toISOString();
  const signature = sign(null, Buffer.from(canaryText(issuedAt, renewBy, canary.statement), 'utf8'), privateKey);
  return { statement: canary.statement, issuedAt, renewBy, signature: signature.toString('base64'), publicKey: encodePublicKey(privateKey) };
}

/**
 * Checks the signature against `trustedKey` (base64 SPKI or raw), never against the key the canary
 * names; a canary naming another key fails too. False for any malformed field.
 */
export function verifyCanary(trustedKey: string, canary: SignedCanary): boolean {
  try {
    const key = decodePublicKey(trustedKey);
    if (encodePublicKey(decodePublicKey(canary.publicKey)) !== encodePublicKey(key)) return false;
    const signature = Buffer.from(canary.signature, 'base64');
    if (signature.length !== SIGNATURE_SIZE || signature.toString('base64') !== canary.signature) return false;
    return verify(null, Buffer.from(canaryText(canary.issuedAt, canary.renewBy, canary.statement), 'utf8'), key, signature);
  } catch {
    return false;
  }
}
