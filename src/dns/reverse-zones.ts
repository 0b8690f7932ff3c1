/**
 * The reverse zones of a pool and their RFC 1035 text. Pure functions, no Nest imports.
 *
 * Zones are cut where the reverse tree can be delegated:
 * - IPv4 on octet boundaries (`c.b.a.in-addr.arpa` for a /24, `b.a.in-addr.arpa` for a /16, …): a
 *   pool whose length is not a multiple of 8 is covered by the zones of the next octet boundary
 *   inside it (a /22 by four /24 zones);
 * - IPv4 pools smaller than a /24 by RFC 2317 classless delegation: one zone named
 *   `<first>-<last>.c.b.a.in-addr.arpa` after the first and last value of the pool's last octet
 *   (198.51.100.16/28 → `16-31.100.51.198.in-addr.arpa`). RFC 2317 leaves the label to the parent;
 *   a hyphen rather than its examples' `/` keeps the name usable in file names and URLs. The parent
 *   zone (c.b.a.in-addr.arpa, run by whoever routes the /24) must hold the NS and CNAME records that
 *   `classlessDelegation` writes;
 * - IPv6 on nibble boundaries (`…ip6.arpa`): a /48 pool of /56 blocks is one /48 zone, a /46 pool
 *   four /48 zones.
 */
import { contains, familyBits, formatPrefix, Prefix } from '../ipam/cidr';

export type ZoneKind = 'in-addr' | 'classless' | 'ip6';

export interface ReverseZone {
  /** Lower case, without the trailing dot. */
  name: string;
  kind: ZoneKind;
  /** The addresses whose PTR records the zone holds. */
  prefix: Prefix;
}

export interface PtrRecord {
  address: Prefix;
  name: string;
}

export interface SoaSettings {
  serial: number;
  /** Name servers, fully qualified, without the trailing dot; the first is the SOA's MNAME. */
  nameservers: readonly string[];
  /** The RNAME: a mailbox in domain-name form (hostmaster.example.org). */
  contact: string;
  ttl: number;
  refresh: number;
  retry: number;
  expire: number;
  negativeTtl: number;
}

/** The zones that together cover a pool, in address order. */
export function reverseZonesOf(pool: Prefix): ReverseZone[] {
  const bits = familyBits(pool.family);
  const step = pool.family === 'ipv4' ? 8 : 4;
  if (pool.family === 'ipv4' && pool.length > 24) {
    return [{ name: classlessName(pool), kind: 'classless', prefix: pool }];
  }
  const zoneLength = Math.ceil(pool.length / step) * step;
  const count = 1n << BigInt(zoneLength - pool.length);
  const size = 1n << BigInt(bits - zoneLength);
  const zones: ReverseZone[] = [];
  for (let i = 0n; i < count; i++) {
    const network = pool.network + i * size;
    const prefix: Prefix = { family: pool.family, network, length: zoneLength, text: formatPrefix(pool.family, network, zoneLength) };
    zones.push({ name: treeName(prefix, zoneLength), kind: pool.family === 'ipv4' ? 'in-addr' : 'ip6', prefix });
  }
  return zones;
}

/** The zone among `zones` that holds the address's PTR record. */
export function zoneOf(zones: readonly ReverseZone[], address: Prefix): ReverseZone | undefined {
  return zones.find((zone) => contains(zone.prefix, address));
}

/** The owner name of an address's PTR record, relative to its zone. */
export function ownerName(zone: ReverseZone, address: Prefix): string {
  const labels = reversedLabels(address);
  const zoneLabels = zone.kind === 'classless' ? 3 : zone.prefix.length / (address.family === 'ipv4' ? 8 : 4);
  return labels.slice(0, labels.length - zoneLabels).join('.');
}

/** The zone file: SOA, NS, then one PTR per named address, in address order. */
export function renderZone(zone: ReverseZone, soa: SoaSettings, records: readonly PtrRecord[]): string {
  const fqdn = (name: string) => `${name}.`;
  const lines = [
    `; Reverse zone for ${zone.prefix.text}, rendered by Lanterne from the PTR names members and technicians set.`,
    `$ORIGIN ${fqdn(zone.name)}`,
    `$TTL ${soa.ttl}`,
    `@\tIN\tSOA\t${fqdn(soa.nameservers[0])} ${fqdn(soa.contact)} (`,
    `\t\t${soa.serial} ; serial`,
    `\t\t${soa.refresh} ; refresh`,
    `\t\t${soa.retry} ; retry`,
    `\t\t${soa.expire} ; expire`,
    `\t\t${soa.negativeTtl} ) ; negative caching`,
    ...soa.nameservers.map((ns) => `@\tIN\tNS\t${fqdn(ns)}`),
    ...[...records].sort((a, b) => (a.address.network < b.address.network ? -1 : 1)).map((r) => `${ownerName(zone, r.address)}\tIN\tPTR\t${fqdn(r.name)}`),
  ];
  if (zone.kind === 'classless') lines.push(...classlessDelegation(zone, soa.nameservers).map((line) => `; ${line}`));
  return `${lines.join('\n')}\n`;
}

/**
 * What the parent zone (c.b.a.in-addr.arpa) holds for a classless zone (RFC 2317 §4): the
 * delegation of the child's label to our name servers, and one CNAME per address into it, here as
 * BIND's $GENERATE line.
 */
export function classlessDelegation(zone: ReverseZone, nameservers: readonly string[]): string[] {
  const label = zone.name.split('.')[0];
  const [first, last] = label.split('-');
  return [
    `The parent zone ${zone.name.slice(label.length + 1)} delegates this one (RFC 2317) with:`,
    ...nameservers.map((ns) => `${label}\tIN\tNS\t${ns}.`),
    `$GENERATE ${first}-${last} $ CNAME $.${zone.name}.`,
  ];
}

function classlessName(pool: Prefix): string {
  const first = Number(pool.network & 0xffn);
  const last = first + 2 ** (32 - pool.length) - 1;
  return `${first}-${last}.${treeName(pool, 24)}`;
}

/** The in-addr.arpa or ip6.arpa name of the first `length` bits of a prefix (a multiple of 8, or 4). */
function treeName(prefix: Prefix, length: number): string {
  const labels = reversedLabels(prefix);
  const kept = prefix.family === 'ipv4' ? length / 8 : length / 4;
  return [...labels.slice(labels.length - kept), prefix.family === 'ipv4' ? 'in-addr.arpa' : 'ip6.arpa'].join('.');
}

/** All the labels of an address's reverse name, least significant first, without the suffix. */
function reversedLabels(address: Prefix): string[] {
  if (address.family === 'ipv4') return [0n, 8n, 16n, 24n].map((shift) => String((address.network >> shift) & 0xffn));
  return address.network.toString(16).padStart(32, '0').split('').reverse();
}

/** The zone a request names: lower case, the trailing dot optional. */
export function normaliseZoneName(text: string): string {
  return (text.endsWith('.') ? text.slice(0, -1) : text).toLowerCase();
}

/** A mailbox for the SOA's RNAME: an e-mail address becomes its domain-name form, dots in the local part escaped. */
export function soaMailbox(contact: string): string {
  const at = contact.lastIndexOf('@');
  if (at === -1) return contact.endsWith('.') ? contact.slice(0, -1) : contact;
  return `${contact.slice(0, at).replaceAll('.', '\\.')}.${contact.slice(at + 1)}`;
}
