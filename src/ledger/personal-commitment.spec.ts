import { createHash } from 'node:crypto';
import {
  COMMITMENT_SALT_SIZE,
  commitPersonalValue,
  newCommitmentSalt,
  verifyPersonalCommitment,
} from './personal-commitment';

describe('personal-value commitments', () => {
  it('is SHA-256 of salt then value (FIPS 180-2 two-block example, split after 32 bytes)', () => {
    const salt = Buffer.from('abcdbcdecdefdefgefghfghighijhijk');
    expect(commitPersonalValue(salt, 'ijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('hashes the value as UTF-8', () => {
    const salt = Buffer.alloc(COMMITMENT_SALT_SIZE, 7);
    const expected = createHash('sha256').update(Buffer.concat([salt, Buffer.from([0x5a, 0x6f, 0xc3, 0xab])])).digest('hex');
    expect(commitPersonalValue(salt, 'Zoë')).toBe(expected);
  });

  it('draws fresh 32-byte salts', () => {
    const [a, b] = [newCommitmentSalt(), newCommitmentSalt()];
    expect(a).toHaveLength(32);
    expect(a.equals(b)).toBe(false);
  });

  it('refuses a salt of another size and a value that UTF-8 cannot carry', () => {
    expect(() => commitPersonalValue(Buffer.alloc(16), 'x')).toThrow(RangeError);
    expect(() => commitPersonalValue(newCommitmentSalt(), 'a\uD800')).toThrow(TypeError);
  });

  it('verifies only the committed value under its salt', () => {
    const salt = newCommitmentSalt();
    const commitment = commitPersonalValue(salt, '+32470123456');
    expect(verifyPersonalCommitment(salt, '+32470123456', commitment)).toBe(true);
    expect(verifyPersonalCommitment(salt, '+32470123457', commitment)).toBe(false);
    expect(verifyPersonalCommitment(newCommitmentSalt(), '+32470123456', commitment)).toBe(false);
    expect(verifyPersonalCommitment(salt, '+32470123456', commitment.toUpperCase())).toBe(false);
    expect(verifyPersonalCommitment(salt, '+32470123456', commitment.slice(2))).toBe(false);
  });
});
