/**
 * The member's side of a tunnel, rendered complete but for the private key, which the member makes
 * on the CPE and pastes where the placeholder says: Lanterne never generates, receives or stores it.
 * The tunnel MTU and the TCP MSS clamp keep TCP segments within the tunnel when path MTU discovery
 * is broken.
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
 * Where the member's private key goes. Not a key on purpose: `wg-quick up` refuses it ("Key is not
 * the correct length or format") until it is replaced, where a well-formed dummy key would bring up
 * a tunnel that silently never connects.
 */
export const PRIVATE_KEY_PLACEHOLDER = 'REPLACE-WITH-THE-CPE-PRIVATE-KEY';

/** WireGuard's keepalive for a CPE behind NAT: often enough to keep a NAT mapping open (wg(8) suggests 25 s). */
const PERSISTENT_KEEPALIVE_SECONDS = 25;

export interface WireguardClient {
  subscriptionId: string;
  settings: TunnelSettings;
  /** The CPE's tunnel addresses (cpeTunnelAddresses). */
  addresses: readonly string[];
  server: { endpoint: string; publicKey: string };
  /** The CPE public key registered for the subscription, if any. */
  registeredKey: string | null;
}

/**
 * A wg-quick(8) configuration for Linux with nftables. wg-quick replaces `%i` with the interface name
 * and runs each PostUp/PostDown line through the shell. The clamp rewrites the MSS of SYN and SYN-ACK
 * forwarded through the tunnel in both directions; connections of the CPE itself already take their
 * MSS from the interface MTU. The kernel only ever lowers an MSS (nft_exthdr_tcp_set_eval), so a
 * smaller advertised value is kept. All traffic goes through the tunnel: that is where the member's
 * public addresses live.
 */
export function renderWireguardClient(client: WireguardClient): string {
  const keyNote = client.registeredKey
    ? [`# Its public key must be the one registered for this subscription: ${client.registeredKey}`]
    : ['# Then register its public key (wg pubkey < private.key) for this subscription: the server accepts no other.'];
  return [
    `# Lanterne: WireGuard client configuration of subscription ${client.subscriptionId}`,
    '[Interface]',
    '# Make the private key on the CPE (wg genkey > private.key) and put it in place of the placeholder on the PrivateKey line.',
    ...keyNote,
    `PrivateKey = ${PRIVATE_KEY_PLACEHOLDER}`,
    `Address = ${client.addresses.join(', ')}`,
    ...wireguardMtuLines(client.settings),
    '',
    '[Peer]',
    "# The association's server",
    `PublicKey = ${client.server.publicKey}`,
    `Endpoint = ${client.server.endpoint}`,
    'AllowedIPs = 0.0.0.0/0, ::/0',
    `PersistentKeepalive = ${PERSISTENT_KEEPALIVE_SECONDS}`,
    '',
  ].join('\n');
}

function wireguardMtuLines(settings: TunnelSettings): string[] {
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
  const lines = [`# ${overheadComment(settings)}`, `MTU = ${settings.innerMtu}`];
  if (rules.length > 0) {
    lines.push(
      '# TCP MSS clamp for connections forwarded through the tunnel (nftables)',
      `PostUp = nft add table ${table}`,
      `PostUp = nft add chain ${table} forward '{ type filter hook forward priority mangle; }'`,
      ...rules,
      `PostDown = nft delete table ${table}`,
    );
  }
  return lines;
}

export interface OpenvpnClient {
  subscriptionId: string;
  settings: TunnelSettings;
  remote: { host: string; port: number; proto: string };
  /** PEM of the association's CA, which signed the server's certificate and the member's. */
  caCertificate: string;
  /** PEM of the member's certificate, signed from the CSR registered for the subscription. */
  certificate: string;
}

/**
 * A client profile for OpenVPN ≥ 2.6, its certificates inline. The addresses are not in it: the
 * server pushes them (its client-config-dir file for this subscription, see router-export.ts). The
 * data channel negotiates an AEAD cipher (2.6's default data-ciphers), which the MTU arithmetic of
 * the openvpn-aead layer counts on. `mssfix N fixed` clamps the MSS to N − 40 for IPv4 and N − 60 for
 * IPv6 without estimating the encapsulation overhead itself, so N = innerMtu yields exactly mssIpv4
 * and mssIpv6. (`mssfix N mtu` would take N as the outer packet size and subtract OpenVPN's own
 * overhead estimate, which depends on the negotiated cipher and the outer family.)
 */
export function renderOpenvpnClient(client: OpenvpnClient): string {
  const mtu = client.settings.innerMtu;
  return [
    `# Lanterne: OpenVPN client profile of subscription ${client.subscriptionId}`,
    '# Paste the private key of the certificate request (made on the CPE) in the <key> block below, in place of the placeholder.',
    'client',
    'dev tun',
    `proto ${client.remote.proto}`,
    `remote ${client.remote.host} ${client.remote.port}`,
    'nobind',
    'persist-key',
    'persist-tun',
    'remote-cert-tls server',
    `# ${overheadComment(client.settings)}`,
    `tun-mtu ${mtu}`,
    `# TCP MSS ${mtu - 40} for IPv4 and ${mtu - 60} for IPv6; "fixed" needs OpenVPN 2.6 or later`,
    `mssfix ${mtu} fixed`,
    'verb 3',
    inline('ca', client.caCertificate),
    inline('cert', client.certificate),
    inline('key', PRIVATE_KEY_PLACEHOLDER),
    '',
  ].join('\n');
}

function inline(tag: string, content: string): string {
  return `<${tag}>\n${content.trim()}\n</${tag}>`;
}

function overheadComment(settings: TunnelSettings): string {
  if (settings.layers.length === 0) return `Lanterne: tunnel MTU ${settings.innerMtu}, no encapsulation counted`;
  const parts = settings.layers.map((layer) => `${layer} ${LAYER_HEADERS[layer].bytes}`);
  const overhead = overheadOf(settings.layers);
  return `Lanterne: tunnel MTU ${settings.innerMtu} = underlay MTU - ${overhead} bytes (${parts.join(' + ')})`;
}
