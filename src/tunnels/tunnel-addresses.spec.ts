import { cpeTunnelAddresses, dottedIpv4 } from './tunnel-addresses';

const block = (prefix: string, poolPrefix = prefix.includes(':') ? '2001:db8::/32' : '192.0.2.0/24') => ({ prefix, poolPrefix });

describe('cpeTunnelAddresses', () => {
  it('takes the IPv4 address and the first host of the IPv6 prefix', () => {
    expect(cpeTunnelAddresses([block('192.0.2.10/32'), block('2001:db8:1::/56')])).toEqual(['192.0.2.10/32', '2001:db8:1::1/128']);
  });

  it('takes one address per family, from the first block of each', () => {
    expect(cpeTunnelAddresses([block('2001:db8:2::/48'), block('192.0.2.16/29'), block('192.0.2.40/32'), block('2001:db8:3::/48')])).toEqual([
      '192.0.2.16/32',
      '2001:db8:2::1/128',
    ]);
  });

  it('keeps an IPv6 /128 as it is', () => {
    expect(cpeTunnelAddresses([block('2001:db8::5/128')])).toEqual(['2001:db8::5/128']);
  });

  it('gives nothing for nothing held', () => {
    expect(cpeTunnelAddresses([])).toEqual([]);
  });
});

describe('dottedIpv4', () => {
  it.each([
    ['192.0.2.10/32', '192.0.2.10', '255.255.255.255'],
    ['192.0.2.16/29', '192.0.2.16', '255.255.255.248'],
    ['198.51.100.0/24', '198.51.100.0', '255.255.255.0'],
  ])('%s → %s %s', (prefix, network, netmask) => {
    expect(dottedIpv4(prefix)).toEqual({ network, netmask });
  });
});
