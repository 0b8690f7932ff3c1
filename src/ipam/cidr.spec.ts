import {
  addressToPrefix,
  blockAt,
  blockCount,
  blockIndex,
  contains,
  familyBits,
  formatPrefix,
  parsePool,
  parsePrefix,
  Pool,
  Prefix,
  PrefixParse,
  usableRange,
  validateRequestedPrefix,
} from './cidr';

function prefix(text: string): Prefix {
  const parsed = parsePrefix(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.prefix;
}

function pool(text: string, assignLength: number): Pool {
  const parsed = parsePool(text, assignLength);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.pool;
}

function reasonOf(parsed: PrefixParse): string {
  if (parsed.ok) throw new Error(`expected a refusal, got ${parsed.prefix.text}`);
  return parsed.reason;
}

describe('familyBits', () => {
  it('is 32 for IPv4 and 128 for IPv6', () => {
    expect(familyBits('ipv4')).toBe(32);
    expect(familyBits('ipv6')).toBe(128);
  });
});

describe('parsePrefix', () => {
  it('reads an IPv4 prefix', () => {
    expect(parsePrefix('192.0.2.0/24')).toEqual({
      ok: true,
      prefix: { family: 'ipv4', network: 0xc0000200n, length: 24, text: '192.0.2.0/24' },
    });
  });

  it('reads an IPv6 prefix into compressed lower-case text', () => {
    expect(parsePrefix('2001:0DB8:0000:0000:0000:0000:0000:0000/48')).toEqual({
      ok: true,
      prefix: { family: 'ipv6', network: 0x20010db8n << 96n, length: 48, text: '2001:db8::/48' },
    });
  });

  it('reads a bare address as a host prefix, as PostgreSQL does', () => {
    expect(prefix('192.0.2.7').text).toBe('192.0.2.7/32');
    expect(prefix('2001:db8::7').text).toBe('2001:db8::7/128');
  });

  // Expected texts are PostgreSQL 18's `select '<input>'::cidr::text`.
  it.each([
    ['2001:db8:0:0:1:0:0:1/128', '2001:db8::1:0:0:1/128'],
    ['2001:db8:0:0:1:0:0:0/80', '2001:db8:0:0:1::/80'],
    ['1:0:0:1:0:0:0:0/128', '1:0:0:1::/128'],
    ['2001:db8:0:1:1:1:1:1/128', '2001:db8:0:1:1:1:1:1/128'],
    ['::1.2.3.4/128', '::1.2.3.4/128'],
    ['::1:2/128', '::0.1.0.2/128'],
    ['::102/128', '::102/128'],
    ['::fffe:1.2.3.4/128', '::fffe:102:304/128'],
    ['64:ff9b::192.0.2.33/128', '64:ff9b::c000:221/128'],
    ['::/0', '::/0'],
    ['0.0.0.0/0', '0.0.0.0/0'],
  ])('writes %s as PostgreSQL does: %s', (input, expected) => {
    expect(prefix(input).text).toBe(expected);
  });

  it('refuses host bits set after the length, naming the probable prefix', () => {
    expect(reasonOf(parsePrefix('192.0.2.5/24'))).toBe('"192.0.2.5/24" is not aligned: did you mean 192.0.2.0/24?');
    expect(reasonOf(parsePrefix('2001:db8:0:1::/48'))).toBe(
      '"2001:db8:0:1::/48" is not aligned: did you mean 2001:db8::/48?',
    );
  });

  it.each([
    'not an address',
    '',
    '/24',
    '192.0.2.0/',
    '192.0.2.0/33',
    '192.0.2.0/-1',
    '192.0.2.0/024',
    '192.0.2.0/24/1',
    ' 192.0.2.0/24',
    '10.1/16',
    '010.0.0.0/8',
    '0x0a.0.0.0/8',
    '256.0.0.0/8',
    '2001:db8::/129',
    '2001:db8::1::/64',
    'fe80::%eth0/64',
    '::01.2.3.4/128',
  ])('refuses %j', (text) => {
    expect(parsePrefix(text).ok).toBe(false);
  });

  it('names the allowed length range', () => {
    expect(reasonOf(parsePrefix('2001:db8::/129'))).toBe('"2001:db8::/129": the prefix length must be an integer from 0 to 128');
  });
});

describe('addressToPrefix', () => {
  it('gives the host prefix of an address', () => {
    expect(addressToPrefix('192.0.2.5')).toEqual({
      ok: true,
      prefix: { family: 'ipv4', network: 0xc0000205n, length: 32, text: '192.0.2.5/32' },
    });
    expect(addressToPrefix('2001:DB8::5')).toMatchObject({ ok: true, prefix: { length: 128, text: '2001:db8::5/128' } });
  });

  it('refuses a prefix or garbage', () => {
    expect(reasonOf(addressToPrefix('192.0.2.0/24'))).toBe('"192.0.2.0/24" is not an IPv4 or IPv6 address');
    expect(addressToPrefix('example.org').ok).toBe(false);
  });
});

describe('IPv4-mapped IPv6 is read as IPv4', () => {
  it.each([
    ['::ffff:192.0.2.0/120', '192.0.2.0/24'],
    ['::FFFF:C000:205', '192.0.2.5/32'],
    ['0:0:0:0:0:ffff:192.0.2.5/128', '192.0.2.5/32'],
    ['::ffff:0:0/96', '0.0.0.0/0'],
  ])('reads %s as %s', (input, expected) => {
    expect(prefix(input)).toMatchObject({ family: 'ipv4', text: expected });
  });

  it('gives a lookup of an address written either way the same host prefix', () => {
    expect(addressToPrefix('::ffff:192.0.2.5')).toEqual(addressToPrefix('192.0.2.5'));
  });

  it('refuses a mapped prefix shorter than /96, which would reach beyond IPv4', () => {
    expect(reasonOf(parsePrefix('::ffff:0:0/95'))).toBe(
      '"::ffff:0:0/95" is an IPv4-mapped address with a length under /96, which would reach beyond IPv4: write it as IPv4',
    );
  });

  it('names the IPv4 prefix meant when host bits are set', () => {
    expect(reasonOf(parsePrefix('::ffff:192.0.2.5/120'))).toBe('"::ffff:192.0.2.5/120" is not aligned: did you mean 192.0.2.0/24?');
  });

  it('keeps IPv4-compatible and NAT64 addresses in IPv6', () => {
    expect(prefix('::192.0.2.5')).toMatchObject({ family: 'ipv6', text: '::192.0.2.5/128' });
    expect(prefix('64:ff9b::192.0.2.5')).toMatchObject({ family: 'ipv6' });
  });

  it('makes a mapped pool an IPv4 pool, and a mapped request a block of an IPv4 pool', () => {
    expect(pool('::ffff:192.0.2.0/120', 128)).toEqual(pool('192.0.2.0/24', 32));
    expect(parsePool('::ffff:192.0.2.0/120', 32)).toEqual({
      ok: false,
      field: 'assignLength',
      reason: 'assignLength must be an integer from 120 to 128 for pool ::ffff:192.0.2.0/120',
    });
    expect(validateRequestedPrefix(pool('192.0.2.0/24', 32), '::ffff:192.0.2.17')).toEqual({ ok: true, prefix: prefix('192.0.2.17/32'), index: 17n });
  });
});

describe('formatPrefix', () => {
  it.each(['198.51.100.0/22', '203.0.113.255/32', '2001:db8:abcd:ff00::/56', '2001:db8::1/128', '::/0'])(
    'round-trips %s',
    (text) => {
      const parsed = prefix(text);
      expect(formatPrefix(parsed.family, parsed.network, parsed.length)).toBe(text);
      expect(prefix(formatPrefix(parsed.family, parsed.network, parsed.length))).toEqual(parsed);
    },
  );

  it('writes IPv4-mapped values as PostgreSQL does', () => {
    expect(formatPrefix('ipv6', 0xffffn << 32n, 96)).toBe('::ffff:0.0.0.0/96');
    expect(formatPrefix('ipv6', 0xffff01020304n, 128)).toBe('::ffff:1.2.3.4/128');
  });

  it('refuses values that are not a prefix', () => {
    expect(() => formatPrefix('ipv4', 1n, 24)).toThrow(RangeError);
    expect(() => formatPrefix('ipv4', 1n << 32n, 32)).toThrow(RangeError);
    expect(() => formatPrefix('ipv4', -1n, 32)).toThrow(RangeError);
    expect(() => formatPrefix('ipv6', 0n, 129)).toThrow(RangeError);
    expect(() => formatPrefix('ipv6', 0n, 48.5)).toThrow(RangeError);
  });
});

describe('blockCount', () => {
  it('counts the blocks of a prefix', () => {
    expect(blockCount(48, 56)).toBe(256n);
    expect(blockCount(24, 32)).toBe(256n);
    expect(blockCount(29, 29)).toBe(1n);
    expect(blockCount(0, 128)).toBe(1n << 128n);
  });

  it('refuses blocks larger than the prefix', () => {
    expect(() => blockCount(56, 48)).toThrow(RangeError);
  });
});


describe('contains', () => {
  const outer = prefix('2001:db8::/48');

  it('holds for prefixes inside, the prefix itself included', () => {
    expect(contains(outer, prefix('2001:db8:0:ff00::/56'))).toBe(true);
    expect(contains(outer, prefix('2001:db8:0:ffff:ffff:ffff:ffff:ffff'))).toBe(true);
    expect(contains(outer, outer)).toBe(true);
  });

  it('fails outside, for a larger prefix, and across families', () => {
    expect(contains(outer, prefix('2001:db8:1::/56'))).toBe(false);
    expect(contains(outer, prefix('2001:db8::/32'))).toBe(false);
    expect(contains(prefix('0.0.0.0/0'), prefix('::/128'))).toBe(false);
  });
});

describe('usableRange', () => {
  it('keeps only .1 and .2 of an IPv4 /30 cut into /32', () => {
    const p = pool('192.0.2.0/30', 32);
    expect(usableRange(p)).toEqual({ first: 1n, last: 2n, count: 2n });
    expect(blockAt(p, 1n).text).toBe('192.0.2.1/32');
    expect(blockAt(p, 2n).text).toBe('192.0.2.2/32');
  });

  it('uses every address of IPv4 /31 and /32 pools', () => {
    expect(usableRange(pool('192.0.2.0/31', 32))).toEqual({ first: 0n, last: 1n, count: 2n });
    expect(usableRange(pool('192.0.2.9/32', 32))).toEqual({ first: 0n, last: 0n, count: 1n });
  });

  it('leaves out whole blocks holding the first or last address of an IPv4 pool', () => {
    expect(usableRange(pool('198.51.100.0/24', 30))).toEqual({ first: 1n, last: 62n, count: 62n });
    expect(usableRange({ prefix: prefix('198.51.100.0/29'), assignLength: 30 })).toBeNull();
  });

  it('uses every block of an IPv6 pool', () => {
    expect(usableRange(pool('2001:db8::/48', 56))).toEqual({ first: 0n, last: 255n, count: 256n });
  });
});

describe('parsePool', () => {
  it('accepts a prefix and a block length within it', () => {
    expect(parsePool('2001:db8::/48', 56)).toEqual({ ok: true, pool: { prefix: prefix('2001:db8::/48'), assignLength: 56 } });
  });

  it.each([
    ['192.0.2.0/24', 23, 'assignLength must be an integer from 24 to 32 for pool 192.0.2.0/24'],
    ['192.0.2.0/24', 33, 'assignLength must be an integer from 24 to 32 for pool 192.0.2.0/24'],
    ['2001:db8::/48', 56.5, 'assignLength must be an integer from 48 to 128 for pool 2001:db8::/48'],
    [
      '192.0.2.0/30',
      30,
      'pool 192.0.2.0/30 has no assignable /30 block: its first and last addresses are never assigned',
    ],
  ])('refuses %s cut into /%d', (text, assignLength, reason) => {
    expect(parsePool(text, assignLength)).toEqual({ ok: false, field: 'assignLength', reason });
  });

  it('names the prefix when it is not one', () => {
    expect(parsePool('192.0.2.1/24', 32)).toEqual({ ok: false, field: 'prefix', reason: '"192.0.2.1/24" is not aligned: did you mean 192.0.2.0/24?' });
  });

  it.each([
    ['0.0.0.0/0', 32, '0.0.0.0/8 (this network, unspecified'],
    ['::/0', 128, '::/128 (unspecified'],
    ['0.0.0.0/32', 32, '0.0.0.0/8 (this network, unspecified'],
    ['127.0.0.0/8', 32, '127.0.0.0/8 (loopback'],
    ['126.0.0.0/7', 32, '127.0.0.0/8 (loopback'],
    ['::ffff:127.0.0.1', 128, '127.0.0.0/8 (loopback'],
    ['169.254.0.0/24', 32, '169.254.0.0/16 (link-local'],
    ['224.0.0.0/24', 32, '224.0.0.0/4 (multicast'],
    ['255.255.255.252/30', 32, '255.255.255.255/32 (limited broadcast'],
    ['::/64', 128, '::/128 (unspecified'],
    ['::1', 128, '::1/128 (loopback'],
    ['::c000:200/120', 128, '::/96 (IPv4-compatible'],
    ['::fffe:0:0/95', 128, '::ffff:0.0.0.0/96 (IPv4-mapped'],
    ['fe80::/64', 128, 'fe80::/10 (link-local'],
    ['ff02::/16', 128, 'ff00::/8 (multicast'],
  ])('refuses pool %s, which overlaps addresses never handed out to members', (text, assignLength, range) => {
    const parsed = parsePool(text, assignLength);
    expect(parsed).toMatchObject({ ok: false, field: 'prefix' });
    expect(parsed.ok ? '' : parsed.reason).toContain(`overlaps ${range}`);
  });

  it.each(['10.0.0.0/8', '198.51.100.0/24', '223.255.255.0/24', '2001:db8::/32', '2001:db8:ffff::/48', 'fc00::/7'])('accepts pool %s', (text) => {
    expect(parsePool(text, familyBits(prefix(text).family)).ok).toBe(true);
  });
});

describe('blockAt and blockIndex', () => {
  const p = pool('2001:db8::/48', 56);

  it('map between a block and its index in an IPv6 /48 of /56 blocks', () => {
    expect(blockAt(p, 0n).text).toBe('2001:db8::/56');
    expect(blockAt(p, 1n).text).toBe('2001:db8:0:100::/56');
    expect(blockAt(p, 255n).text).toBe('2001:db8:0:ff00::/56');
    for (const index of [0n, 1n, 171n, 255n]) expect(blockIndex(p, blockAt(p, index))).toBe(index);
  });

  it('refuse indices and prefixes that are not blocks of the pool', () => {
    expect(() => blockAt(p, 256n)).toThrow(RangeError);
    expect(() => blockAt(p, -1n)).toThrow(RangeError);
    expect(() => blockIndex(p, prefix('2001:db8:1::/56'))).toThrow(RangeError);
    expect(() => blockIndex(p, prefix('2001:db8::/64'))).toThrow(RangeError);
  });
});

describe('validateRequestedPrefix', () => {
  const ipv6Pool = pool('2001:db8::/48', 56);
  const ipv4Pool = pool('192.0.2.0/24', 32);

  it('accepts an aligned block of the pool and gives its index', () => {
    expect(validateRequestedPrefix(ipv6Pool, '2001:DB8:0:1200::/56')).toEqual({
      ok: true,
      prefix: prefix('2001:db8:0:1200::/56'),
      index: 0x12n,
    });
    expect(validateRequestedPrefix(ipv4Pool, '192.0.2.17')).toMatchObject({ ok: true, index: 17n });
  });

  it.each([
    { p: ipv6Pool, requested: 'nonsense', problem: 'invalid', reason: '"nonsense" is not an IPv4 or IPv6 prefix' },
    {
      p: ipv6Pool,
      requested: '192.0.2.0/24',
      problem: 'wrong-family',
      reason: '"192.0.2.0/24" is IPv4 but pool 2001:db8::/48 is IPv6',
    },
    {
      p: ipv6Pool,
      requested: '2001:db8:0:100::/64',
      problem: 'wrong-length',
      reason: 'pool 2001:db8::/48 assigns /56 blocks, not /64',
    },
    {
      p: ipv6Pool,
      requested: '2001:db8:0:180::/56',
      problem: 'misaligned',
      reason: '"2001:db8:0:180::/56" is not aligned on a /56 boundary: did you mean 2001:db8:0:100::/56?',
    },
    {
      p: ipv6Pool,
      requested: '2001:db8:1::/56',
      problem: 'outside-pool',
      reason: '2001:db8:1::/56 is outside pool 2001:db8::/48',
    },
    {
      p: ipv4Pool,
      requested: '192.0.2.0/32',
      problem: 'reserved',
      reason: '192.0.2.0/32 holds the first address of pool 192.0.2.0/24, which is never assigned',
    },
    {
      p: ipv4Pool,
      requested: '192.0.2.255',
      problem: 'reserved',
      reason: '192.0.2.255/32 holds the last address of pool 192.0.2.0/24, which is never assigned',
    },
  ])('refuses $requested as $problem', ({ p, requested, problem, reason }) => {
    expect(validateRequestedPrefix(p, requested)).toEqual({ ok: false, problem, reason });
  });

  it('refuses the /30 holding the first address of an IPv4 pool of /30 blocks', () => {
    expect(validateRequestedPrefix(pool('198.51.100.0/24', 30), '198.51.100.0/30')).toMatchObject({
      ok: false,
      problem: 'reserved',
    });
  });

  it('accepts both addresses of an IPv4 /31 pool', () => {
    const p = pool('192.0.2.0/31', 32);
    expect(validateRequestedPrefix(p, '192.0.2.0/32')).toMatchObject({ ok: true, index: 0n });
    expect(validateRequestedPrefix(p, '192.0.2.1/32')).toMatchObject({ ok: true, index: 1n });
  });
});
