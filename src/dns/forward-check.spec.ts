import { addressToPrefix, Prefix } from '../ipam/cidr';
import { AddressLookup, forwardConfirms } from './forward-check';

function address(text: string): Prefix {
  const parsed = addressToPrefix(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.prefix;
}

function failing(code: string): AddressLookup {
  return async () => {
    throw Object.assign(new Error(code), { code });
  };
}

describe('forwardConfirms', () => {
  it('confirms a name whose A records include the address', async () => {
    const asked: unknown[] = [];
    const lookup: AddressLookup = async (name, family) => {
      asked.push([name, family]);
      return ['192.0.2.1', '192.0.2.5'];
    };
    expect(await forwardConfirms('host.example.org', address('192.0.2.5'), lookup)).toBe(true);
    expect(asked).toEqual([['host.example.org', 4]]);
  });

  it('compares IPv6 addresses however the resolver writes them', async () => {
    expect(await forwardConfirms('host.example.org', address('2001:db8::5'), async () => ['2001:0DB8:0:0::5'])).toBe(true);
  });

  it('does not confirm another address, or a name without one', async () => {
    expect(await forwardConfirms('host.example.org', address('192.0.2.5'), async () => ['192.0.2.6'])).toBe(false);
    expect(await forwardConfirms('host.example.org', address('192.0.2.5'), failing('ENOTFOUND'))).toBe(false);
    expect(await forwardConfirms('host.example.org', address('192.0.2.5'), failing('ENODATA'))).toBe(false);
  });

  it('cannot say when the resolver fails', async () => {
    expect(await forwardConfirms('host.example.org', address('192.0.2.5'), failing('ETIMEOUT'))).toBeNull();
    expect(await forwardConfirms('host.example.org', address('192.0.2.5'), failing('ESERVFAIL'))).toBeNull();
  });
});
