import { randomBytes } from 'node:crypto';
import { codeMatches, hashVerificationCode, newVerificationCode } from './verification-code';

describe('verification codes', () => {
  it('are six digits, leading zeros kept, and spread over the whole range', () => {
    const codes = Array.from({ length: 2000 }, newVerificationCode);
    for (const code of codes) expect(code).toMatch(/^\d{6}$/);
    expect(new Set(codes).size).toBeGreaterThan(1990);
    expect(codes.some((code) => code.startsWith('0'))).toBe(true);
  });

  it('match only the code, under the key and for the verification they were made for', () => {
    const key = randomBytes(32);
    const stored = hashVerificationCode(key, 'v1', '012345');
    expect(codeMatches(key, 'v1', '012345', stored)).toBe(true);
    expect(codeMatches(key, 'v1', '012346', stored)).toBe(false);
    expect(codeMatches(key, 'v2', '012345', stored)).toBe(false);
    expect(codeMatches(randomBytes(32), 'v1', '012345', stored)).toBe(false);
  });
});
