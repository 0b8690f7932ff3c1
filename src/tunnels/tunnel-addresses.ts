/**
 * What a subscription's blocks become on each side of its tunnel. Pure functions over the canonical
 * prefix text that PostgreSQL's cidr prints.
 */
import * as ipaddr from 'ipaddr.js';
import { Netmask } from 'netmask';

/** A block a subscription holds now, with the pool it comes from. */
export interface HeldBlock {
  prefix: string;
  poolPrefix: string;
}

export const isIpv6 = (prefix: string): boolean => prefix.includes(':');

/**
 * The CPE's own addresses on the tunnel: one per family, from the first block it holds of that family.
 * The block is routed to the CPE, which hands the rest of it to its LAN, so the tunnel interface
 * takes a single address (/32, /128) rather than the prefix: wg-quick would otherwise route the
 * whole prefix into the tunnel instead of to the LAN. IPv4 takes the block's first address (a /32
 * block is that address). IPv6 takes the prefix's address ::1, since the all-zero interface
 * identifier is the subnet-router anycast address (RFC 4291 §2.6.1), not a host's.
 */
export function cpeTunnelAddresses(blocks: readonly HeldBlock[]): string[] {
  const ipv4 = blocks.find((block) => !isIpv6(block.prefix));
  const ipv6 = blocks.find((block) => isIpv6(block.prefix));
  return [...(ipv4 ? [`${firstAddress(ipv4.prefix)}/32`] : []), ...(ipv6 ? [`${firstIpv6Host(ipv6.prefix)}/128`] : [])];
}

function firstAddress(prefix: string): string {
  return prefix.split('/')[0];
}

function firstIpv6Host(prefix: string): string {
  const [address, length] = ipaddr.IPv6.parseCIDR(prefix);
  if (length === 128) return address.toRFC5952String();
  const bytes = address.toByteArray();
  bytes[15] += 1;
  return (ipaddr.fromByteArray(bytes) as ipaddr.IPv6).toRFC5952String();
}

/** A prefix as OpenVPN's IPv4 options want it: network and dotted netmask. */
export function dottedIpv4(prefix: string): { network: string; netmask: string } {
  const block = new Netmask(prefix);
  return { network: block.base, netmask: block.mask };
}
