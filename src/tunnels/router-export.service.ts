import { Injectable } from '@nestjs/common';
import { IpAssignmentsService } from '../ipam/ip-assignments.service';
import { ExportFile, renderOpenvpnClientConfigs, renderWireguardPeers } from './router-export';
import { HeldBlock } from './tunnel-addresses';
import { TunnelPeersService } from './tunnel-peers.service';

/** The server side of every tunnel, from the peers registered and the blocks held now. */
@Injectable()
export class RouterExportService {
  constructor(
    private readonly peers: TunnelPeersService,
    private readonly assignments: IpAssignmentsService,
  ) {}

  async wireguardPeers(): Promise<string> {
    const [peers, blocks] = await Promise.all([this.peers.peersOfType('wireguard'), this.blocksBySubscription()]);
    return renderWireguardPeers(peers.map((peer) => ({ subscriptionId: peer.subscriptionId, publicKey: peer.publicKey as string, blocks: blocks.get(peer.subscriptionId) ?? [] })));
  }

  async openvpnClientConfigs(): Promise<ExportFile[]> {
    const [peers, blocks] = await Promise.all([this.peers.peersOfType('openvpn'), this.blocksBySubscription()]);
    return renderOpenvpnClientConfigs(peers.map((peer) => ({ commonName: peer.subscriptionId, blocks: blocks.get(peer.subscriptionId) ?? [] })));
  }

  private async blocksBySubscription(): Promise<Map<string, HeldBlock[]>> {
    const bySubscription = new Map<string, HeldBlock[]>();
    for (const { subscriptionId, ...block } of await this.assignments.heldBlocks()) {
      bySubscription.set(subscriptionId, [...(bySubscription.get(subscriptionId) ?? []), block]);
    }
    return bySubscription;
  }
}
