/**
 * The server side of every tunnel, for the association's routers: rendered from the blocks each
 * subscription holds now, so that a released block stops being routed to its former holder at the
 * next export. Pure functions.
 */
import { dottedIpv4, HeldBlock, isIpv6 } from './tunnel-addresses';

export interface WireguardPeerExport {
  subscriptionId: string;
  publicKey: string;
  blocks: readonly HeldBlock[];
}

/**
 * `[Peer]` sections to append to the server's WireGuard configuration (wg(8) syntax, read by
 * `wg setconf`/`wg syncconf` and wg-quick alike): AllowedIPs lists every block the subscription holds,
 * which is both what the server routes to the CPE and what it accepts from it.
 */
export function renderWireguardPeers(peers: readonly WireguardPeerExport[]): string {
  const sections = peers
    .filter((peer) => peer.blocks.length > 0)
    .map((peer) => [`# subscription ${peer.subscriptionId}`, '[Peer]', `PublicKey = ${peer.publicKey}`, `AllowedIPs = ${peer.blocks.map((block) => block.prefix).join(', ')}`, ''].join('\n'));
  return ['# Lanterne: WireGuard peers of every subscription with a registered key and a block it holds now', '', ...sections].join('\n');
}

export interface OpenvpnClientExport {
  /** The certificate's CN, which names its client-config-dir file: the subscription id. */
  commonName: string;
  blocks: readonly HeldBlock[];
}

export interface ExportFile {
  name: string;
  content: string;
}

/**
 * One client-config-dir file per client (server option `client-config-dir`, file named by the CN).
 * `ifconfig-push` gives the CPE the first address of its first IPv4 block, with the netmask of the
 * pool it comes from: the server runs `topology subnet` on that pool. Every other IPv4 block is
 * routed to the client with `iroute`, every IPv6 block with `iroute-ipv6` (the server also needs its
 * own `route`/`route-ipv6` for the pools, as OpenVPN requires for any iroute).
 */
export function renderOpenvpnClientConfigs(clients: readonly OpenvpnClientExport[]): ExportFile[] {
  return clients.filter((client) => client.blocks.length > 0).map((client) => ({ name: client.commonName, content: clientConfig(client) }));
}

function clientConfig(client: OpenvpnClientExport): string {
  const ipv4 = client.blocks.filter((block) => !isIpv6(block.prefix));
  const ipv6 = client.blocks.filter((block) => isIpv6(block.prefix));
  const lines = [`# Lanterne: subscription ${client.commonName}`];
  const [pushed] = ipv4;
  if (pushed) lines.push(`ifconfig-push ${pushed.prefix.split('/')[0]} ${dottedIpv4(pushed.poolPrefix).netmask}`);
  for (const block of ipv4) {
    if (block === pushed && block.prefix.endsWith('/32')) continue;
    const { network, netmask } = dottedIpv4(block.prefix);
    lines.push(`iroute ${network} ${netmask}`);
  }
  for (const block of ipv6) lines.push(`iroute-ipv6 ${block.prefix}`);
  return lines.join('\n') + '\n';
}
