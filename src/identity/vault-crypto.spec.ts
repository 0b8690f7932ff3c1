import { randomBytes } from 'node:crypto';
import {
  masterKeyFingerprint,
  newDataKey,
  openIdentityField,
  openVerificationField,
  sealIdentityField,
  sealVerificationField,
  unwrapDataKey,
  wrapDataKey,
} from './vault-crypto';

const alice = '00000000-0000-4000-8000-00000000000a';
const bob = '00000000-0000-4000-8000-00000000000b';

describe('vault crypto', () => {
  it('unwraps a data key under the master key it was wrapped with, for its subscriber only', () => {
    const master = randomBytes(32);
    const key = newDataKey();
    const wrapped = wrapDataKey(master, alice, key);
    expect(unwrapDataKey(master, alice, wrapped).equals(key)).toBe(true);
    expect(() => unwrapDataKey(master, bob, wrapped)).toThrow();
    expect(() => unwrapDataKey(randomBytes(32), alice, wrapped)).toThrow();
  });

  it('opens an identity field only in its own row and field', () => {
    const key = newDataKey();
    const sealed = sealIdentityField(key, alice, 'legal_name', 'Alice Martin');
    expect(openIdentityField(key, alice, 'legal_name', sealed)).toBe('Alice Martin');
    expect(() => openIdentityField(key, bob, 'legal_name', sealed)).toThrow();
    expect(() => openIdentityField(key, alice, 'contact', sealed)).toThrow();
    expect(sealed.includes(Buffer.from('Alice'))).toBe(false);
  });

  it('opens a verification field only for its verification', () => {
    const key = newDataKey();
    const sealed = sealVerificationField(key, alice, 'v1', 'code', '123456');
    expect(openVerificationField(key, alice, 'v1', 'code', sealed)).toBe('123456');
    expect(() => openVerificationField(key, alice, 'v2', 'code', sealed)).toThrow();
    expect(() => openVerificationField(key, alice, 'v1', 'contact', sealed)).toThrow();
  });

  it('names a master key by a stable fingerprint that differs between keys', () => {
    const master = randomBytes(32);
    expect(masterKeyFingerprint(master)).toMatch(/^[0-9a-f]{32}$/);
    expect(masterKeyFingerprint(Buffer.from(master))).toBe(masterKeyFingerprint(master));
    expect(masterKeyFingerprint(randomBytes(32))).not.toBe(masterKeyFingerprint(master));
  });
});
