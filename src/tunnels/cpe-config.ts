/**
 * CPE-side configuration fragments rendered from a subscription's stored tunnel settings, for a
 * technician to paste into the CPE's configuration: the tunnel MTU and the TCP MSS clamp that
 * keeps TCP segments from exceeding it when path MTU discovery is broken.
 */
import { LAYER_HEADERS, overheadOf, TunnelLayer } from './mtu';

export interface TunnelSettings {
  innerMtu: number;
  /** Present when the tunnel carries IPv4. */
  mssIpv4?: number | null;
  /** Present when the tunnel carries IPv6. */
  mssIpv6?: number | null;
  layers: readonly TunnelLayer[];
}

/**
 * An `[Interface]` fragment for wg-quick(8) on Linux with nftables. wg-quick replaces `%i` with the
 * interface name and runs each PostUp/PostDown line through the shell. The clamp rewrites the MSS
 * of SYN and SYN-ACK forwarded through the tunnel in both directions; connections of the CPE itself
 * already take their MSS from the interface MTU. The kernel only ever lowers an MSS
 * (nft_exthdr_tcp_set_eval), so a smaller advertised value is kept.
 */
export function renderWireguardFragment(settings: TunnelSettings): string {
  const table = 'inet lanterne_mss_%i';
  const clamps: [family: string, mss: number | null | undefined][] = [
    ['ipv4', settings.mssIpv4],
    ['ipv6', settings.mssIpv6],
  ];
  const rules = clamps.flatMap(([family, mss]) =>
    mss == null
      ? []
      : ['oifname', 'iifname'].map(
          (direction) =>
            `PostUp = nft add rule ${table} forward ${direction} "%i" meta nfproto ${family} tcp flags syn tcp option maxseg size set ${mss}`,
        ),
  );
  const lines = ['[Interface]', `# ${overheadComment(settings)}`, `MTU = ${settings.innerMtu}`];
  if (rules.length > 0) {
    lines.push(
      '# TCP MSS clamp for connections forwarded through the tunnel (nftables)',
      `PostUp = nft add table ${table}`,
      `PostUp = nft add chain ${table} forward '{ type filter hook forward priority mangle; }'`,
      ...rules,
      `PostDown = nft delete table ${table}`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Client options for OpenVPN ≥ 2.6. `mssfix N fixed` clamps the MSS to N − 40 for IPv4 and N − 60
 * for IPv6 without estimating the encapsulation overhead itself, so N = innerMtu yields exactly
 * mssIpv4 and mssIpv6. (`mssfix N mtu` would take N as the outer packet size and subtract
 * OpenVPN's own overhead estimate, which depends on the negotiated cipher and the outer family.)
 */
export function renderOpenvpnFragment(settings: TunnelSettings): string {
  const mtu = settings.innerMtu;
  return [
    `# ${overheadComment(settings)}`,
    'dev tun',
    `tun-mtu ${mtu}`,
    `# TCP MSS ${mtu - 40} for IPv4 and ${mtu - 60} for IPv6; "fixed" needs OpenVPN 2.6 or later`,
    `mssfix ${mtu} fixed`,
    '',
  ].join('\n');
}

function overheadComment(settings: TunnelSettings): string {
  if (settings.layers.length === 0) return `Lanterne: tunnel MTU ${settings.innerMtu}, no encapsulation counted`;
  const parts = settings.layers.map((layer) => `${layer} ${LAYER_HEADERS[layer].bytes}`);
  const overhead = overheadOf(settings.layers);
  return `Lanterne: tunnel MTU ${settings.innerMtu} = underlay MTU - ${overhead} bytes (${parts.join(' + ')})`;
}
