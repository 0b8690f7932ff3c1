import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import {
  Checkpoint,
  checkpointMessage,
  decodePublicKey,
  encodePublicKey,
  signCheckpoint,
  verifyCheckpoint,
} from './checkpoint';

// RFC 8032 §7.1, TEST 1: an Ed25519 secret key and its public key.
const RFC8032_SECRET = Buffer.from('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60', 'hex');
const RFC8032_PUBLIC = Buffer.from('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a', 'hex');
// DER prefixes of RFC 8410 §7 (PKCS#8 private key) and §4 (SPKI public key) for Ed25519.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

const rfcKey = createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, RFC8032_SECRET]), format: 'der', type: 'pkcs8' });
const ROOT = Buffer.from('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328', 'hex');
const head = { treeSize: 8, rootHash: ROOT, timestamp: new Date('2025-03-01T12:00:00Z') };

describe('checkpoint', () => {
  it('signs the documented message', () => {
    expect(checkpointMessage(8, ROOT.toString('hex'), '2025-03-01T12:00:00.000Z').toString('utf8')).toBe(
      'lanterne-checkpoint\n8\n5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328\n2025-03-01T12:00:00.000Z\n',
    );
  });

  it('publishes the key as SPKI DER and reads it back raw or as SPKI (RFC 8032 test key)', () => {
    const spki = Buffer.concat([SPKI_PREFIX, RFC8032_PUBLIC]).toString('base64');
    expect(encodePublicKey(rfcKey)).toBe(spki);
    expect(encodePublicKey(decodePublicKey(RFC8032_PUBLIC.toString('base64')))).toBe(spki);
    expect(encodePublicKey(decodePublicKey(spki))).toBe(spki);
  });

  it('round-trips: a signed checkpoint verifies with the trusted key in any form', () => {
    const checkpoint = signCheckpoint(rfcKey, head);
    expect(checkpoint).toMatchObject({
      treeSize: 8,
      rootHash: ROOT.toString('hex'),
      timestamp: '2025-03-01T12:00:00.000Z',
      publicKey: encodePublicKey(rfcKey),
    });
    expect(Buffer.from(checkpoint.signature, 'base64')).toHaveLength(64);
    expect(verifyCheckpoint(decodePublicKey(checkpoint.publicKey), checkpoint)).toBe(true);
    expect(verifyCheckpoint(checkpoint.publicKey, checkpoint)).toBe(true);
    expect(verifyCheckpoint(RFC8032_PUBLIC.toString('base64'), checkpoint)).toBe(true);
  });

  describe('fails once a field is tampered with', () => {
    const checkpoint = signCheckpoint(rfcKey, head);
    const other = generateKeyPairSync('ed25519');
    const flipped = Buffer.from(checkpoint.signature, 'base64');
    flipped[10] ^= 1;
    const tampered: [string, Partial<Checkpoint>][] = [
      ['treeSize', { treeSize: 9 }],
      ['rootHash', { rootHash: `0${checkpoint.rootHash.slice(1)}` }],
      ['timestamp', { timestamp: '2025-03-01T12:00:01.000Z' }],
      ['signature', { signature: flipped.toString('base64') }],
      ['publicKey', { publicKey: encodePublicKey(other.publicKey) }],
      ['signature by another key', { signature: signCheckpoint(other.privateKey, head).signature }],
    ];
    it.each(tampered)('%s', (_, change) => {
      expect(verifyCheckpoint(rfcKey, { ...checkpoint, ...change })).toBe(false);
    });

    it('and never trusts the key the checkpoint carries', () => {
      const forged = signCheckpoint(other.privateKey, head);
      expect(verifyCheckpoint(forged.publicKey, forged)).toBe(true);
      expect(verifyCheckpoint(rfcKey, forged)).toBe(false);
    });
  });

  it.each<[string, Partial<Checkpoint>]>([
    ['a negative tree size', { treeSize: -1 }],
    ['a fractional tree size', { treeSize: 1.5 }],
    ['an upper-case root hash', { rootHash: ROOT.toString('hex').toUpperCase() }],
    ['a short root hash', { rootHash: 'abcd' }],
    ['a timestamp without zone', { timestamp: '2025-03-01T12:00:00' }],
    ['a timestamp with a newline', { timestamp: '2025-03-01T12:00:00.000Z\n' }],
    ['an impossible date', { timestamp: '2025-02-30T12:00:00Z' }],
    ['a signature that is not base64', { signature: '!!!' }],
    ['a truncated signature', { signature: Buffer.alloc(32).toString('base64') }],
    ['a garbled public key', { publicKey: 'AAAA' }],
  ])('rejects %s without throwing', (_, change) => {
    expect(verifyCheckpoint(rfcKey, { ...signCheckpoint(rfcKey, head), ...change })).toBe(false);
  });

  it('refuses to sign with anything but an Ed25519 private key', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => signCheckpoint(ec.privateKey, head)).toThrow(TypeError);
    expect(() => signCheckpoint(generateKeyPairSync('ed25519').publicKey, head)).toThrow(TypeError);
    expect(() => encodePublicKey(ec.publicKey)).toThrow(TypeError);
  });

  it('refuses to build a message from malformed fields', () => {
    const rootHash = ROOT.toString('hex');
    expect(() => checkpointMessage(-1, rootHash, '2025-03-01T12:00:00Z')).toThrow(RangeError);
    expect(() => checkpointMessage(1, 'zz', '2025-03-01T12:00:00Z')).toThrow(TypeError);
    expect(() => checkpointMessage(1, rootHash, 'yesterday')).toThrow(TypeError);
    expect(() => checkpointMessage(1, rootHash, '2025-02-29T12:00:00Z')).toThrow(TypeError);
    expect(() => checkpointMessage(1, rootHash, '2023-04-31T12:00:00+02:00')).toThrow(TypeError);
    expect(checkpointMessage(1, rootHash, '2024-02-29T23:59:60.5+01:00')).toBeInstanceOf(Buffer);
  });
});
