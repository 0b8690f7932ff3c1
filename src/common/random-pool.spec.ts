import { pooledRandomBytes } from './random-pool';

describe('pooled random bytes', () => {
  it('hands out fresh bytes of the size asked, across pool refills, never sharing memory', () => {
    const drawn = Array.from({ length: 500 }, (_, i) => pooledRandomBytes(1 + (i % 44)));
    drawn.forEach((bytes, i) => expect(bytes.length).toBe(1 + (i % 44)));
    const salts = Array.from({ length: 300 }, () => pooledRandomBytes(32).toString('hex'));
    expect(new Set(salts).size).toBe(salts.length);
    const [a, b] = [pooledRandomBytes(32), pooledRandomBytes(32)];
    a.fill(0);
    expect(b.equals(Buffer.alloc(32))).toBe(false);
  });

  it('serves a request larger than the pool straight from the generator', () => {
    expect(pooledRandomBytes(10_000).length).toBe(10_000);
  });
});
