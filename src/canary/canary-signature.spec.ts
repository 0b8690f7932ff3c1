import { generateKeyPairSync } from 'node:crypto';
import { encodePublicKey } from '../ledger/checkpoint';
import { canaryText, signCanary, statementHash, verifyCanary } from './canary-signature';

const { privateKey } = generateKeyPairSync('ed25519');
const ledgerKey = encodePublicKey(privateKey);
const canary = signCanary(privateKey, { statement: 'No secret order has been received.', issuedAt: new Date('2026-06-01T12:00:00Z'), renewBy: new Date('2026-09-01T00:00:00Z') });

describe('canary signature', () => {
  it('signs-the-canonical-text-with-the-statement-hashed', () => {
    expect(canaryText(canary.issuedAt, canary.renewBy, canary.statement)).toBe(
      `lanterne-canary\n2026-06-01T12:00:00.000Z\n2026-09-01T00:00:00.000Z\n${statementHash('No secret order has been received.')}\n`,
    );
    expect(statementHash('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(verifyCanary(ledgerKey, canary)).toBe(true);
  });

  it('fails-on-an-altered-statement-date-or-signature', () => {
    expect(verifyCanary(ledgerKey, { ...canary, statement: 'No order has been received.' })).toBe(false);
    expect(verifyCanary(ledgerKey, { ...canary, renewBy: '2027-09-01T00:00:00.000Z' })).toBe(false);
    expect(verifyCanary(ledgerKey, { ...canary, signature: Buffer.alloc(64).toString('base64') })).toBe(false);
    expect(verifyCanary(ledgerKey, { ...canary, signature: 'not base64' })).toBe(false);
  });

  it('fails-against-another-key-even-when-the-canary-carries-that-other-key', () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    const forged = signCanary(other, { statement: canary.statement, issuedAt: new Date(canary.issuedAt), renewBy: new Date(canary.renewBy) });
    expect(verifyCanary(ledgerKey, forged)).toBe(false);
    expect(verifyCanary(ledgerKey, { ...canary, publicKey: encodePublicKey(other) })).toBe(false);
  });

  it('refuses-an-instant-not-in-its-canonical-form', () => {
    expect(() => canaryText('2026-06-01T12:00:00Z', canary.renewBy, 's')).toThrow(TypeError);
    expect(verifyCanary(ledgerKey, { ...canary, issuedAt: '2026-06-01T14:00:00.000+02:00' })).toBe(false);
  });
});
