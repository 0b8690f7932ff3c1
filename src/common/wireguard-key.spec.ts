import { generateKeyPairSync } from 'node:crypto';
import { checkWireguardKey } from './wireguard-key';

/** A Curve25519 public key as wg pubkey prints it: the raw 32 bytes, in base64. */
function x25519PublicKey(): string {
  const der = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' });
  return der.subarray(der.length - 32).toString('base64');
}

describe('checkWireguardKey', () => {
  it('accepts a key as wg prints it', () => {
    const key = x25519PublicKey();
    expect(checkWireguardKey(key)).toEqual({ ok: true, key });
  });

  it.each([
    ['31 bytes', Buffer.alloc(31, 1).toString('base64'), 'exactly 32 bytes; this encodes 31'],
    ['33 bytes', Buffer.alloc(33, 1).toString('base64'), 'exactly 32 bytes; this encodes 33'],
    ['no padding', Buffer.alloc(32, 1).toString('base64').slice(0, 43), 'canonical base64'],
    ['non-zero unused bits in the last character', 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQF=', 'canonical base64 of its 32 bytes, which is AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE='],
    ['base64url', Buffer.alloc(32, 0xfb).toString('base64url') + '=', 'must be base64'],
    ['spaces', ` ${x25519PublicKey()}`, 'must be base64'],
    ['a line break inside', Buffer.alloc(32, 2).toString('base64').replace(/^(.{20})/, '$1\n'), 'must be base64'],
    ['hex', Buffer.alloc(32, 3).toString('hex'), 'exactly 32 bytes'],
    ['nothing', '', 'exactly 32 bytes; this encodes 0'],
  ])('refuses %s', (_, text, reason) => {
    const check = checkWireguardKey(text);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toContain(reason);
  });
});
