import { addressToPrefix, parsePrefix, Prefix } from '../ipam/cidr';
import { classlessDelegation, normaliseZoneName, ownerName, renderZone, reverseZonesOf, soaMailbox, zoneOf } from './reverse-zones';

function prefix(text: string): Prefix {
  const parsed = text.includes('/') ? parsePrefix(text) : addressToPrefix(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.prefix;
}

const names = (pool: string) => reverseZonesOf(prefix(pool)).map((zone) => zone.name);

const SOA = { serial: 2026060100, nameservers: ['ns1.example.org', 'ns2.example.net'], contact: 'hostmaster.example.org', ttl: 3600, refresh: 3600, retry: 900, expire: 1209600, negativeTtl: 3600 };

describe('reverseZonesOf', () => {
  it('gives an IPv4 /24, /16 and /8 one zone each on its octet boundary', () => {
    expect(reverseZonesOf(prefix('192.0.2.0/24'))).toEqual([{ name: '2.0.192.in-addr.arpa', kind: 'in-addr', prefix: prefix('192.0.2.0/24') }]);
    expect(names('172.16.0.0/16')).toEqual(['16.172.in-addr.arpa']);
    expect(names('10.0.0.0/8')).toEqual(['10.in-addr.arpa']);
  });

  it('covers an IPv4 pool between octet boundaries with the zones of the next boundary', () => {
    expect(names('198.51.100.0/22')).toEqual(['100.51.198.in-addr.arpa', '101.51.198.in-addr.arpa', '102.51.198.in-addr.arpa', '103.51.198.in-addr.arpa']);
    expect(names('172.16.0.0/15')).toEqual(['16.172.in-addr.arpa', '17.172.in-addr.arpa']);
  });

  it('names an IPv4 pool smaller than a /24 after the first and last value of its last octet (RFC 2317)', () => {
    expect(reverseZonesOf(prefix('198.51.100.16/28'))).toEqual([{ name: '16-31.100.51.198.in-addr.arpa', kind: 'classless', prefix: prefix('198.51.100.16/28') }]);
    expect(names('203.0.113.128/25')).toEqual(['128-255.113.0.203.in-addr.arpa']);
    expect(names('203.0.113.7/32')).toEqual(['7-7.113.0.203.in-addr.arpa']);
  });

  it('cuts IPv6 on nibble boundaries: a /48 is one zone, a /46 four', () => {
    expect(reverseZonesOf(prefix('2001:db8::/48'))).toEqual([{ name: '0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa', kind: 'ip6', prefix: prefix('2001:db8::/48') }]);
    expect(names('2001:db8:4::/46')).toEqual([
      '4.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
      '5.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
      '6.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
      '7.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
    ]);
    expect(names('2001:db8::/32')).toEqual(['8.b.d.0.1.0.0.2.ip6.arpa']);
  });
});

describe('zoneOf and ownerName', () => {
  it('find the zone of an address and its name relative to it', () => {
    const zones = reverseZonesOf(prefix('198.51.100.0/22'));
    const zone = zoneOf(zones, prefix('198.51.102.9'));
    expect(zone?.name).toBe('102.51.198.in-addr.arpa');
    expect(ownerName(zone!, prefix('198.51.102.9'))).toBe('9');
    expect(zoneOf(zones, prefix('198.51.104.1'))).toBeUndefined();
    expect(ownerName(reverseZonesOf(prefix('172.16.0.0/16'))[0], prefix('172.16.3.4'))).toBe('4.3');
    expect(ownerName(reverseZonesOf(prefix('198.51.100.16/28'))[0], prefix('198.51.100.17'))).toBe('17');
    expect(ownerName(reverseZonesOf(prefix('2001:db8::/48'))[0], prefix('2001:db8:0:1200::1'))).toBe('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.2.1');
  });
});

describe('renderZone', () => {
  it('writes SOA, NS and PTR records in address order', () => {
    const zone = reverseZonesOf(prefix('192.0.2.0/24'))[0];
    const text = renderZone(zone, SOA, [
      { address: prefix('192.0.2.10'), name: 'b.example.net' },
      { address: prefix('192.0.2.9'), name: 'a.example.net' },
    ]);
    expect(text).toBe(
      [
        '; Reverse zone for 192.0.2.0/24, rendered by Lanterne from the PTR names members and technicians set.',
        '$ORIGIN 2.0.192.in-addr.arpa.',
        '$TTL 3600',
        '@\tIN\tSOA\tns1.example.org. hostmaster.example.org. (',
        '\t\t2026060100 ; serial',
        '\t\t3600 ; refresh',
        '\t\t900 ; retry',
        '\t\t1209600 ; expire',
        '\t\t3600 ) ; negative caching',
        '@\tIN\tNS\tns1.example.org.',
        '@\tIN\tNS\tns2.example.net.',
        '9\tIN\tPTR\ta.example.net.',
        '10\tIN\tPTR\tb.example.net.',
        '',
      ].join('\n'),
    );
  });

  it('adds the parent zone\'s delegation of a classless zone as comments', () => {
    const zone = reverseZonesOf(prefix('198.51.100.16/28'))[0];
    expect(classlessDelegation(zone, SOA.nameservers)).toEqual([
      'The parent zone 100.51.198.in-addr.arpa delegates this one (RFC 2317) with:',
      '16-31\tIN\tNS\tns1.example.org.',
      '16-31\tIN\tNS\tns2.example.net.',
      '$GENERATE 16-31 $ CNAME $.16-31.100.51.198.in-addr.arpa.',
    ]);
    expect(renderZone(zone, SOA, []).trimEnd().split('\n').slice(-4)).toEqual(classlessDelegation(zone, SOA.nameservers).map((line) => `; ${line}`));
  });
});

describe('normaliseZoneName and soaMailbox', () => {
  it('read a zone name with or without its trailing dot, in any case', () => {
    expect(normaliseZoneName('2.0.192.IN-ADDR.ARPA.')).toBe('2.0.192.in-addr.arpa');
  });

  it('write an e-mail address as an RNAME', () => {
    expect(soaMailbox('hostmaster@example.org')).toBe('hostmaster.example.org');
    expect(soaMailbox('dns.admin@example.org')).toBe('dns\\.admin.example.org');
    expect(soaMailbox('hostmaster.example.org.')).toBe('hostmaster.example.org');
  });
});
