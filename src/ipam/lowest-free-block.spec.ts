import { parsePool } from './cidr';
import { chunkBounds, chunkLengthOf, PoolShape } from './lowest-free-block';

function shape(prefix: string, assignLength: number): PoolShape {
  const parsed = parsePool(prefix, assignLength);
  if (!parsed.ok) throw new Error(parsed.reason);
  return { id: 'pool', pool: parsed.pool, chunkLength: chunkLengthOf(parsed.pool.prefix.length, assignLength) };
}

describe('chunkBounds', () => {
  it('keeps a small IPv4 pool in one chunk without its first and last address', () => {
    expect(chunkBounds(shape('198.18.0.0/30', 32))).toEqual({
      firstChunk: '198.18.0.0/30',
      lastChunk: '198.18.0.0/30',
      blocksPerChunk: 4,
      reservedInFirstChunk: 1,
      reservedInLastChunk: 1,
      usableFirst: '198.18.0.1/32',
      usableLast: '198.18.0.2/32',
    });
  });

  it('cuts a /8 of /32s into /22 chunks of 1024 blocks', () => {
    expect(chunkBounds(shape('10.0.0.0/8', 32))).toMatchObject({
      firstChunk: '10.0.0.0/22',
      lastChunk: '10.255.252.0/22',
      blocksPerChunk: 1024,
      usableFirst: '10.0.0.1/32',
      usableLast: '10.255.255.254/32',
    });
  });

  it('uses every block of a /31 and of IPv6 pools', () => {
    expect(chunkBounds(shape('192.0.2.0/31', 32))).toMatchObject({ reservedInFirstChunk: 0, usableFirst: '192.0.2.0/32', usableLast: '192.0.2.1/32' });
    expect(chunkBounds(shape('2001:db8::/29', 56))).toEqual({
      firstChunk: '2001:db8::/46',
      lastChunk: '2001:dbf:fffc::/46',
      blocksPerChunk: 1024,
      reservedInFirstChunk: 0,
      reservedInLastChunk: 0,
      usableFirst: '2001:db8::/56',
      usableLast: '2001:dbf:ffff:ff00::/56',
    });
  });
});
