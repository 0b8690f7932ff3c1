/**
 * Forward confirmation (FCrDNS): does the PTR name resolve back to its address? Reported to whoever
 * sets the name, never enforced: the forward zone is often someone else's, and may be updated later.
 */
import { Inject, Injectable } from '@nestjs/common';
import { Resolver } from 'node:dns/promises';
import { APP_CONFIG, AppConfig } from '../config/config';
import { addressToPrefix, Prefix } from '../ipam/cidr';

/** The A (family 4) or AAAA (family 6) addresses of a name; rejects with the resolver's error code. */
export type AddressLookup = (name: string, family: 4 | 6) => Promise<string[]>;

/** Answers that mean "the name has no such address", as opposed to "could not ask". */
const NO_ANSWER = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN']);

/** true: the name resolves to the address; false: it does not; null: the resolver could not say. */
export async function forwardConfirms(name: string, address: Prefix, lookup: AddressLookup): Promise<boolean | null> {
  try {
    const found = await lookup(name, address.family === 'ipv4' ? 4 : 6);
    return found.some((text) => {
      const parsed = addressToPrefix(text);
      return parsed.ok && parsed.prefix.text === address.text;
    });
  } catch (error) {
    return NO_ANSWER.has((error as NodeJS.ErrnoException).code ?? '') ? false : null;
  }
}

/** The check as configured: off (null), or through the system's resolvers or LANTERNE_DNS_RESOLVERS. */
@Injectable()
export class ForwardCheck {
  private readonly lookup?: AddressLookup;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (!config.dns.forwardCheck) return;
    const resolver = new Resolver({ timeout: 3000, tries: 2 });
    if (config.dns.resolvers.length > 0) resolver.setServers(config.dns.resolvers);
    this.lookup = (name, family) => (family === 4 ? resolver.resolve4(name) : resolver.resolve6(name));
  }

  confirm(name: string, address: Prefix): Promise<boolean | null> {
    return this.lookup ? forwardConfirms(name, address, this.lookup) : Promise.resolve(null);
  }
}
