/**
 * Prefix arithmetic for IP pools: parsing, canonical text, and the mapping between a pool's
 * blocks (sub-prefixes of `assignLength`) and their indices. Addresses are unsigned BigInts so
 * IPv4 and IPv6 share one code path. Every input (pools, requested prefixes, lookups, imports) is
 * read here, and IPv4-mapped IPv6 (`::ffff:a.b.c.d`) is read as the IPv4 it is: PostgreSQL keeps
 * the two families apart, so one address written both ways would otherwise have two holders.
 * Pure functions, no Nest imports.
 */
import { isIP } from 'node:net';
import * as ipaddr from 'ipaddr.js';

export type IpFamily = 'ipv4' | 'ipv6';

export interface Prefix {
  family: IpFamily;
  /** First address of the prefix; its host bits are zero. */
  network: bigint;
  length: number;
  /** Canonical text, identical to PostgreSQL's `cidr` output. */
  text: string;
}

/** A pool prefix cut into blocks of `assignLength`, the unit in which it is assigned. */
export interface Pool {
  prefix: Prefix;
  assignLength: number;
}

/** Block indices of a pool, both ends included. */
export interface BlockRange {
  first: bigint;
  last: bigint;
  count: bigint;
}

export type PrefixParse = { ok: true; prefix: Prefix } | { ok: false; reason: string };
/** `field` names the input at fault: the prefix itself, or the block length chosen for it. */
export type PoolParse = { ok: true; pool: Pool } | { ok: false; field: 'prefix' | 'assignLength'; reason: string };

export type RequestedPrefixProblem =
  | 'invalid'
  | 'wrong-family'
  | 'wrong-length'
  | 'misaligned'
  | 'outside-pool'
  | 'reserved';
export type RequestedPrefixCheck =
  | { ok: true; prefix: Prefix; index: bigint }
  | { ok: false; problem: RequestedPrefixProblem; reason: string };

export function familyBits(family: IpFamily): number {
  return family === 'ipv4' ? 32 : 128;
}

/**
 * Reads "address/length" or a bare address (a host prefix, as PostgreSQL's `cidr` does). Refuses
 * host bits set after the length, naming the prefix that was probably meant.
 */
export function parsePrefix(text: string): PrefixParse {
  const read = readAlignedPrefix(text);
  return 'reason' in read ? { ok: false, reason: read.reason } : { ok: true, prefix: read.prefix };
}

function readAlignedPrefix(text: string): { prefix: Prefix; mapped: boolean } | { reason: string } {
  const raw = readPrefix(text);
  if ('reason' in raw) return raw;
  const network = raw.address & networkMask(raw.family, raw.length);
  if (network !== raw.address) {
    return { reason: `"${text}" is not aligned: did you mean ${formatPrefix(raw.family, network, raw.length)}?` };
  }
  return { prefix: makePrefix(raw.family, network, raw.length), mapped: raw.mapped };
}

/** A host address (no length) as its /32 or /128 prefix. */
export function addressToPrefix(text: string): PrefixParse {
  const address = readAddress(text);
  if (address === null) return { ok: false, reason: `"${text}" is not an IPv4 or IPv6 address` };
  return { ok: true, prefix: makePrefix(address.family, address.value, familyBits(address.family)) };
}

/**
 * A pool as created through the API: a prefix whose addresses can be handed out to members, and an
 * assignLength that leaves it at least one usable block.
 */
export function parsePool(prefixText: string, assignLength: number): PoolParse {
  const read = readAlignedPrefix(prefixText);
  if ('reason' in read) return { ok: false, field: 'prefix', reason: read.reason };
  const { prefix } = read;
  const reserved = RESERVED_RANGES.find((range) => overlaps(range.prefix, prefix));
  if (reserved) {
    return {
      ok: false,
      field: 'prefix',
      reason: `${prefix.text} overlaps ${reserved.prefix.text} (${reserved.name}), whose addresses are never handed out to members`,
    };
  }
  // A pool written IPv4-mapped has its block length written as IPv6 too.
  const offset = read.mapped ? MAPPED_LENGTH : 0;
  const length = assignLength - offset;
  const bits = familyBits(prefix.family);
  if (!Number.isInteger(length) || length < prefix.length || length > bits) {
    return {
      ok: false,
      field: 'assignLength',
      reason: `assignLength must be an integer from ${prefix.length + offset} to ${bits + offset} for pool ${read.mapped ? prefixText : prefix.text}`,
    };
  }
  const pool = { prefix, assignLength: length };
  if (usableRange(pool) === null) {
    return {
      ok: false,
      field: 'assignLength',
      reason: `pool ${prefix.text} has no assignable /${length} block: its first and last addresses are never assigned`,
    };
  }
  return { ok: true, pool };
}

/** Canonical text of a prefix: dotted IPv4, RFC 5952 IPv6 as PostgreSQL prints it, always with "/length". */
export function formatPrefix(family: IpFamily, network: bigint, length: number): string {
  const bits = familyBits(family);
  if (!Number.isInteger(length) || length < 0 || length > bits) {
    throw new RangeError(`prefix length ${length} is outside 0..${bits}`);
  }
  if (network < 0n || network >> BigInt(bits) !== 0n) {
    throw new RangeError(`${network} is not an ${family} address`);
  }
  if ((network & networkMask(family, length)) !== network) {
    throw new RangeError(`host bits are set in a /${length} network`);
  }
  const address = family === 'ipv4' ? formatIpv4(network) : formatIpv6(network);
  return `${address}/${length}`;
}

/** Number of /assignLength blocks in a /poolLength prefix. */
export function blockCount(poolLength: number, assignLength: number): bigint {
  if (!Number.isInteger(poolLength) || !Number.isInteger(assignLength) || assignLength < poolLength) {
    throw new RangeError(`cannot cut a /${poolLength} into /${assignLength} blocks`);
  }
  return 1n << BigInt(assignLength - poolLength);
}

/** Whether two prefixes share an address: one of them contains the other. */
export function overlaps(a: Prefix, b: Prefix): boolean {
  return contains(a, b) || contains(b, a);
}

/** Whether `inner` lies within `outer` (equal prefixes included). */
export function contains(outer: Prefix, inner: Prefix): boolean {
  return (
    outer.family === inner.family &&
    inner.length >= outer.length &&
    (inner.network & networkMask(outer.family, outer.length)) === outer.network
  );
}

/**
 * Blocks that may be assigned. In an IPv4 pool shorter than /31 the first and last addresses
 * (network and broadcast of the pool's subnet) are never assigned, so the blocks holding them are
 * left out whole, whatever the block size: an assigned block is always usable in full. /31 and /32
 * pools (RFC 3021) and IPv6 pools use every block. Null when no block is left.
 */
export function usableRange(pool: Pool): BlockRange | null {
  const total = blockCount(pool.prefix.length, pool.assignLength);
  const reservesEnds = pool.prefix.family === 'ipv4' && pool.prefix.length < 31;
  const first = reservesEnds ? 1n : 0n;
  const last = reservesEnds ? total - 2n : total - 1n;
  return last < first ? null : { first, last, count: last - first + 1n };
}

/** The block at `index` (0 = the pool's first block). */
export function blockAt(pool: Pool, index: bigint): Prefix {
  const total = blockCount(pool.prefix.length, pool.assignLength);
  if (index < 0n || index >= total) {
    throw new RangeError(`block ${index} is outside pool ${pool.prefix.text} (${total} blocks)`);
  }
  const { family } = pool.prefix;
  const network = pool.prefix.network + (index << hostBits(family, pool.assignLength));
  return makePrefix(family, network, pool.assignLength);
}

/** Index of one of the pool's blocks; the inverse of blockAt. */
export function blockIndex(pool: Pool, block: Prefix): bigint {
  if (block.length !== pool.assignLength || !contains(pool.prefix, block)) {
    throw new RangeError(`${block.text} is not a /${pool.assignLength} block of pool ${pool.prefix.text}`);
  }
  return (block.network - pool.prefix.network) >> hostBits(block.family, block.length);
}

/**
 * Checks a prefix that a technician asked for, naming the first problem found. Whether it is free
 * (not assigned, not in quarantine) is for the database to say.
 */
export function validateRequestedPrefix(pool: Pool, requested: string): RequestedPrefixCheck {
  const raw = readPrefix(requested);
  if ('reason' in raw) return { ok: false, problem: 'invalid', reason: raw.reason };
  const poolText = pool.prefix.text;
  if (raw.family !== pool.prefix.family) {
    return {
      ok: false,
      problem: 'wrong-family',
      reason: `"${requested}" is ${familyName(raw.family)} but pool ${poolText} is ${familyName(pool.prefix.family)}`,
    };
  }
  if (raw.length !== pool.assignLength) {
    return {
      ok: false,
      problem: 'wrong-length',
      reason: `pool ${poolText} assigns /${pool.assignLength} blocks, not /${raw.length}`,
    };
  }
  const network = raw.address & networkMask(raw.family, raw.length);
  if (network !== raw.address) {
    return {
      ok: false,
      problem: 'misaligned',
      reason: `"${requested}" is not aligned on a /${raw.length} boundary: did you mean ${formatPrefix(raw.family, network, raw.length)}?`,
    };
  }
  const prefix = makePrefix(raw.family, network, raw.length);
  if (!contains(pool.prefix, prefix)) {
    return { ok: false, problem: 'outside-pool', reason: `${prefix.text} is outside pool ${poolText}` };
  }
  const index = blockIndex(pool, prefix);
  const usable = usableRange(pool);
  if (usable === null || index < usable.first || index > usable.last) {
    const end = index === 0n ? 'first' : 'last';
    return {
      ok: false,
      problem: 'reserved',
      reason: `${prefix.text} holds the ${end} address of pool ${poolText}, which is never assigned`,
    };
  }
  return { ok: true, prefix, index };
}

interface RawPrefix {
  family: IpFamily;
  address: bigint;
  length: number;
  /** Written as IPv4-mapped IPv6, and read as the IPv4 it is. */
  mapped: boolean;
}

/** Address and length, host bits not yet checked; an IPv4-mapped prefix comes back as IPv4. */
function readPrefix(text: string): RawPrefix | { reason: string } {
  const slash = text.indexOf('/');
  const address = readAddress(slash === -1 ? text : text.slice(0, slash));
  if (address === null) return { reason: `"${text}" is not an IPv4 or IPv6 prefix` };
  const bits = address.mapped ? 128 : familyBits(address.family);
  if (slash === -1) return { family: address.family, address: address.value, length: familyBits(address.family), mapped: address.mapped };
  const lengthText = text.slice(slash + 1);
  if (!/^(0|[1-9][0-9]{0,2})$/.test(lengthText) || Number(lengthText) > bits) {
    return { reason: `"${text}": the prefix length must be an integer from 0 to ${bits}` };
  }
  const length = Number(lengthText);
  if (!address.mapped) return { family: address.family, address: address.value, length, mapped: false };
  if (length < MAPPED_LENGTH) {
    return { reason: `"${text}" is an IPv4-mapped address with a length under /${MAPPED_LENGTH}, which would reach beyond IPv4: write it as IPv4` };
  }
  return { family: 'ipv4', address: address.value, length: length - MAPPED_LENGTH, mapped: true };
}

/** `::ffff:0:0/96` (RFC 4291 §2.5.5.2): the IPv4 address is the last 32 bits. */
const MAPPED_LENGTH = 96;
const MAPPED_PREFIX = 0xffffn << 32n;

/**
 * Strict reading: node's isIP refuses the legacy IPv4 forms ipaddr.js accepts ("10.1", octal
 * "010.0.0.1", hex), which PostgreSQL would read differently or not at all; zone ids have no
 * place in a prefix. An IPv4-mapped IPv6 address is read as its IPv4 address (`mapped` says so).
 */
function readAddress(text: string): { family: IpFamily; value: bigint; mapped: boolean } | null {
  const kind = isIP(text);
  if (kind === 4) return { family: 'ipv4', value: fromBytes(ipaddr.IPv4.parse(text).toByteArray()), mapped: false };
  if (kind !== 6 || text.includes('%')) return null;
  // ipaddr.js reads "::a.b.c.d" as "::ffff:a.b.c.d"; spelling the dotted tail in hex keeps its meaning.
  const hexTail = text.replace(
    /(\d+)\.(\d+)\.(\d+)\.(\d+)$/,
    (_, a: string, b: string, c: string, d: string) =>
      `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const value = fromBytes(ipaddr.IPv6.parse(hexTail).toByteArray());
  if (value >> 32n === 0xffffn) return { family: 'ipv4', value: value ^ MAPPED_PREFIX, mapped: true };
  return { family: 'ipv6', value, mapped: false };
}

/**
 * Ranges whose addresses cannot be handed out to a member; a pool may not overlap any of them (so
 * neither 0.0.0.0/0 nor ::/0). migrations/1763769900000-IpamAssignableRanges.ts holds the same list
 * as a CHECK on ip_pools. A pool is named by the first range it overlaps: the most specific come first.
 */
const RESERVED_RANGES: readonly { prefix: Prefix; name: string }[] = [
  { prefix: knownPrefix('0.0.0.0/8'), name: 'this network, unspecified (RFC 1122 §3.2.1.3)' },
  { prefix: knownPrefix('127.0.0.0/8'), name: 'loopback (RFC 1122 §3.2.1.3)' },
  { prefix: knownPrefix('169.254.0.0/16'), name: 'link-local (RFC 3927)' },
  { prefix: knownPrefix('224.0.0.0/4'), name: 'multicast (RFC 5771)' },
  { prefix: knownPrefix('255.255.255.255/32'), name: 'limited broadcast (RFC 919)' },
  { prefix: knownPrefix('::/128'), name: 'unspecified (RFC 4291 §2.5.2)' },
  { prefix: knownPrefix('::1/128'), name: 'loopback (RFC 4291 §2.5.3)' },
  { prefix: knownPrefix('::/96'), name: 'IPv4-compatible, deprecated (RFC 4291 §2.5.5.1)' },
  // Built from its value: its text would be read back as IPv4 0.0.0.0/0.
  { prefix: makePrefix('ipv6', MAPPED_PREFIX, MAPPED_LENGTH), name: 'IPv4-mapped, held by IPv4 pools (RFC 4291 §2.5.5.2)' },
  { prefix: knownPrefix('fe80::/10'), name: 'link-local (RFC 4291 §2.5.6)' },
  { prefix: knownPrefix('ff00::/8'), name: 'multicast (RFC 4291 §2.7)' },
];

function knownPrefix(text: string): Prefix {
  const parsed = parsePrefix(text);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.prefix;
}

function fromBytes(bytes: number[]): bigint {
  return bytes.reduce((value, byte) => (value << 8n) | BigInt(byte), 0n);
}

function makePrefix(family: IpFamily, network: bigint, length: number): Prefix {
  return { family, network, length, text: formatPrefix(family, network, length) };
}

function hostBits(family: IpFamily, length: number): bigint {
  return BigInt(familyBits(family) - length);
}

function networkMask(family: IpFamily, length: number): bigint {
  const all = (1n << BigInt(familyBits(family))) - 1n;
  return all ^ ((1n << hostBits(family, length)) - 1n);
}

function familyName(family: IpFamily): string {
  return family === 'ipv4' ? 'IPv4' : 'IPv6';
}

function formatIpv4(value: bigint): string {
  return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
}

/**
 * RFC 5952 text as PostgreSQL writes it (BIND's inet_ntop): lower case, no leading zeros, the
 * longest run of two or more zero groups (the first on a tie) written "::", and the last 32 bits
 * dotted for "::a.b.c.d" and "::ffff:a.b.c.d".
 */
function formatIpv6(value: bigint): string {
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((shift) => Number((value >> shift) & 0xffffn));
  let runStart = -1;
  let runLength = 0;
  for (let i = 0; i < groups.length; ) {
    let end = i;
    while (end < groups.length && groups[end] === 0) end++;
    if (end - i > runLength) {
      runStart = i;
      runLength = end - i;
    }
    i = Math.max(end, i + 1);
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((group) => group.toString(16))
      .join(':');
  if (runStart === 0 && (runLength === 6 || (runLength === 5 && groups[5] === 0xffff))) {
    return `::${runLength === 5 ? 'ffff:' : ''}${formatIpv4(value & 0xffffffffn)}`;
  }
  if (runLength < 2) return hex(0, 8);
  return `${hex(0, runStart)}::${hex(runStart + runLength, 8)}`;
}
