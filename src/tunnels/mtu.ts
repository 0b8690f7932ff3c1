/**
 * MTU arithmetic of tunnels: how many bytes each encapsulation header costs, what is left for the
 * carried packets, and the TCP MSS that fits in it. Pure functions; the API contract's table.
 */

export const TUNNEL_LAYERS = [
  'ipv4',
  'ipv6',
  'udp',
  'wireguard',
  'openvpn-aead',
  'gre',
  'gre-key',
  'vxlan',
  'ethernet',
  'vlan',
  'pppoe',
  'macsec',
  'l2tpv3',
  'mpls',
] as const;
export type TunnelLayer = (typeof TUNNEL_LAYERS)[number];

export interface LayerHeader {
  bytes: number;
  description: string;
}

export const LAYER_HEADERS: Readonly<Record<TunnelLayer, LayerHeader>> = {
  ipv4: { bytes: 20, description: 'IPv4 header without options' },
  ipv6: { bytes: 40, description: 'IPv6 fixed header, no extension headers' },
  udp: { bytes: 8, description: 'UDP header' },
  wireguard: { bytes: 32, description: 'WireGuard data message: 16-byte header + 16-byte Poly1305 tag' },
  'openvpn-aead': {
    bytes: 24,
    description: 'OpenVPN data channel with an AEAD cipher: opcode/peer-id 4 + packet-id 4 + tag 16',
  },
  gre: { bytes: 4, description: 'GRE base header (RFC 2784)' },
  'gre-key': { bytes: 8, description: 'GRE header with the key field (RFC 2890)' },
  vxlan: { bytes: 8, description: 'VXLAN header (RFC 7348); list udp before it and ethernet after it' },
  ethernet: { bytes: 14, description: 'inner Ethernet header of a layer-2 tunnel (no FCS)' },
  vlan: { bytes: 4, description: 'IEEE 802.1Q VLAN tag' },
  pppoe: { bytes: 8, description: 'PPPoE session header 6 + PPP protocol field 2' },
  macsec: { bytes: 32, description: 'MACsec SecTAG with SCI 16 + ICV 16 (IEEE 802.1AE)' },
  l2tpv3: { bytes: 12, description: 'L2TPv3 over IP: session id 4 + cookie 8 (RFC 3931)' },
  mpls: { bytes: 4, description: 'one MPLS label stack entry' },
};

export const CARRIED_FAMILIES = ['ipv4', 'ipv6'] as const;
export type CarriedFamily = (typeof CARRIED_FAMILIES)[number];

/**
 * Smallest inner MTU a tunnel may offer to a carried family. IPv6 links must carry 1280 bytes
 * (RFC 8200 §5). For IPv4, 68 is only the forwarding floor; 576 is the datagram every host must
 * accept (RFC 791), below which ordinary traffic breaks.
 */
export const FAMILY_MINIMUM_MTU: Readonly<Record<CarriedFamily, number>> = { ipv4: 576, ipv6: 1280 };

/** IP header (20 or 40) plus TCP header (20) that an MSS leaves out of the MTU. */
const TCP_OVERHEAD: Readonly<Record<CarriedFamily, number>> = { ipv4: 40, ipv6: 60 };

export interface TunnelMtuRequest {
  underlayMtu: number;
  layers: readonly TunnelLayer[];
  carries: readonly CarriedFamily[];
}

export interface TunnelMtu {
  innerMtu: number;
  overhead: number;
  layers: { name: TunnelLayer; bytes: number }[];
  mssIpv4?: number;
  mssIpv6?: number;
  warnings: string[];
}

export type TunnelMtuOutcome =
  | { ok: true; result: TunnelMtu }
  | { ok: false; reason: string; innerMtu: number; minimum: number; family: CarriedFamily };

/** Each layer with the header bytes it adds, outermost first. */
export function layerBytes(layers: readonly TunnelLayer[]): { name: TunnelLayer; bytes: number }[] {
  return layers.map((name) => ({ name, bytes: LAYER_HEADERS[name].bytes }));
}

/** The bytes a stack of layers adds to every packet. */
export function overheadOf(layers: readonly TunnelLayer[]): number {
  return layers.reduce((sum, layer) => sum + LAYER_HEADERS[layer].bytes, 0);
}

/**
 * innerMtu = underlayMtu − Σ header bytes. Refused when a carried family's minimum is not met;
 * the strictest unmet minimum is reported, since meeting it meets the others too.
 */
export function computeTunnelMtu(request: TunnelMtuRequest): TunnelMtuOutcome {
  if (request.carries.length === 0) {
    throw new RangeError('a tunnel carries at least one address family');
  }
  const layers = layerBytes(request.layers);
  const overhead = overheadOf(request.layers);
  const innerMtu = request.underlayMtu - overhead;

  const unmet = [...new Set(request.carries)]
    .filter((family) => innerMtu < FAMILY_MINIMUM_MTU[family])
    .sort((a, b) => FAMILY_MINIMUM_MTU[b] - FAMILY_MINIMUM_MTU[a]);
  if (unmet.length > 0) {
    const family = unmet[0];
    const minimum = FAMILY_MINIMUM_MTU[family];
    return {
      ok: false,
      reason:
        `inner MTU ${innerMtu} (underlay ${request.underlayMtu} − overhead ${overhead}) is below ` +
        `the ${family} minimum of ${minimum}`,
      innerMtu,
      minimum,
      family,
    };
  }

  const result: TunnelMtu = { innerMtu, overhead, layers, warnings: tunnelWarnings(request, innerMtu) };
  if (request.carries.includes('ipv4')) result.mssIpv4 = innerMtu - TCP_OVERHEAD.ipv4;
  if (request.carries.includes('ipv6')) result.mssIpv6 = innerMtu - TCP_OVERHEAD.ipv6;
  return { ok: true, result };
}

const IP_LAYERS: ReadonlySet<TunnelLayer> = new Set(['ipv4', 'ipv6']);
const OVER_UDP: ReadonlySet<TunnelLayer> = new Set(['wireguard', 'openvpn-aead', 'vxlan']);
const CARRYING_IP: ReadonlySet<TunnelLayer> = new Set(['wireguard', 'openvpn-aead']);

/** Hints for the technician: the value is computed anyway, but the input looks like a mistake. */
function tunnelWarnings(request: TunnelMtuRequest, innerMtu: number): string[] {
  const warnings: string[] = [];
  const { layers } = request;

  if (!request.carries.includes('ipv6') && innerMtu < FAMILY_MINIMUM_MTU.ipv6) {
    warnings.push(
      `inner MTU ${innerMtu} is below 1280: IPv6 could never be added to this tunnel without a larger underlay MTU or fewer layers`,
    );
  }

  layers.forEach((layer, i) => {
    const before = i > 0 ? layers[i - 1] : undefined;
    const position = `layer ${i + 1} (${layer})`;
    if (layer === 'udp' && (before === undefined || !IP_LAYERS.has(before))) {
      warnings.push(`${position} is not directly after an IP layer (ipv4 or ipv6) that would carry it`);
    }
    if (OVER_UDP.has(layer) && before !== 'udp') {
      warnings.push(`${position} runs over UDP: expected udp directly before it`);
    }
    if (layer === 'vxlan' && layers[i + 1] !== 'ethernet') {
      warnings.push(`${position} carries Ethernet frames: expected ethernet directly after it`);
    }
    if (IP_LAYERS.has(layer) && i === layers.length - 1 && before !== undefined && CARRYING_IP.has(before)) {
      warnings.push(
        `${position} follows ${before}, which carries IP packets directly: the carried packet's own header is part of the inner MTU, not of the overhead`,
      );
    }
  });

  return warnings;
}
