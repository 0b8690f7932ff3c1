import { randomBytes } from 'node:crypto';
import { open, seal } from './sealed-box';

describe('sealed box', () => {
  const key = randomBytes(32);
  const plaintext = Buffer.from('Camille Dupont', 'utf8');

  it('opens what it sealed, and never shows the plaintext in the box', () => {
    const box = seal(key, plaintext, 'ledger:7:name');
    expect(open(key, box, 'ledger:7:name').equals(plaintext)).toBe(true);
    expect(box.includes(plaintext)).toBe(false);
  });

  it('refuses another key, another context, or a flipped byte', () => {
    const box = seal(key, plaintext, 'ledger:7:name');
    expect(() => open(randomBytes(32), box, 'ledger:7:name')).toThrow();
    expect(() => open(key, box, 'ledger:8:name')).toThrow();
    const flipped = Buffer.from(box);
    flipped[flipped.length - 1] ^= 1;
    expect(() => open(key, flipped, 'ledger:7:name')).toThrow();
    expect(() => open(key, box.subarray(0, 20), 'ledger:7:name')).toThrow();
  });
});
