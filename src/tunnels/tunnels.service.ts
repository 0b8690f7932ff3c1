import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { IpAssignmentsService } from '../ipam/ip-assignments.service';
import { SubscriptionsService } from '../subscribers/subscriptions.service';
import { renderOpenvpnClient, renderWireguardClient } from './cpe-config';
import { computeTunnelMtu, layerBytes, TunnelLayer, TunnelMtu, TunnelMtuRequest } from './mtu';
import { SubscriptionTunnel } from './subscription-tunnel.entity';
import { cpeTunnelAddresses } from './tunnel-addresses';
import { TunnelPeersService } from './tunnel-peers.service';
import { TunnelPresetsService } from './tunnel-presets.service';
import { TunnelsError, TunnelsErrorCode } from './tunnels.errors';
import { SetTunnelInput, TunnelConfigFormat, TunnelView } from './tunnels.schemas';

/** The layer that makes a tunnel of each configuration format; the renderers do not check it. */
const FORMAT_LAYER: Record<TunnelConfigFormat, TunnelLayer> = { wireguard: 'wireguard', openvpn: 'openvpn-aead' };

@Injectable()
export class TunnelsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly presets: TunnelPresetsService,
    private readonly subscriptions: SubscriptionsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly assignments: IpAssignmentsService,
    private readonly peers: TunnelPeersService,
  ) {}

  /** The contract's MTU arithmetic; an inner MTU below a carried family's minimum is a 422 with the reason. */
  compute(request: TunnelMtuRequest): TunnelMtu {
    const outcome = computeTunnelMtu(request);
    if (!outcome.ok) {
      const { reason, innerMtu, minimum, family } = outcome;
      throw new TunnelsError(TunnelsErrorCode.MtuBelowMinimum, reason, { innerMtu, minimum, family });
    }
    return outcome.result;
  }

  /** Stores a subscription's tunnel with its computed values; a preset supplies what the body leaves out. */
  async setTunnel(subscriptionId: string, input: SetTunnelInput): Promise<TunnelView> {
    return this.dataSource.transaction(async (em) => {
      await this.subscriptions.lockActiveSubscription(em, subscriptionId);
      const preset = input.preset === undefined ? null : await this.presets.findPreset(em, input.preset);
      // The schema admits no body without a preset that lacks either value.
      const underlayMtu = input.underlayMtu ?? (preset?.underlayMtu as number);
      const layers = input.layers ?? (preset?.layers as TunnelLayer[]);
      const result = this.compute({ underlayMtu, layers, carries: input.carries });
      const tunnel = await em.getRepository(SubscriptionTunnel).save({
        subscriptionId,
        presetId: preset?.id ?? null,
        underlayMtu,
        layers,
        carries: input.carries,
        innerMtu: result.innerMtu,
        overhead: result.overhead,
        mssIpv4: result.mssIpv4 ?? null,
        mssIpv6: result.mssIpv6 ?? null,
        warnings: result.warnings,
        updatedAt: this.clock.now(),
      });
      return toTunnelView(tunnel);
    });
  }

  async getTunnel(subscriptionId: string): Promise<TunnelView> {
    return toTunnelView(await this.findTunnel(subscriptionId));
  }

  /**
   * The CPE-side configuration, complete but for the member's private key. Asking a WireGuard tunnel
   * for OpenVPN options (or the reverse), an instance without the association's side of that kind of
   * tunnel, a WireGuard CPE without an address or an OpenVPN one without a certificate: each a 409
   * saying what is missing, never a file that cannot work.
   */
  async renderConfig(subscriptionId: string, format?: TunnelConfigFormat): Promise<string> {
    const tunnel = await this.findTunnel(subscriptionId);
    const kinds = (Object.keys(FORMAT_LAYER) as TunnelConfigFormat[]).filter((kind) => tunnel.layers.includes(FORMAT_LAYER[kind]));
    const chosen = format ?? (kinds.length === 1 ? kinds[0] : undefined);
    if (chosen === undefined || !kinds.includes(chosen)) {
      const has = kinds.length > 0 ? `a ${kinds.join(' and ')} layer` : 'neither a wireguard nor an openvpn-aead layer';
      throw new TunnelsError(TunnelsErrorCode.FormatMismatch, `The tunnel of subscription ${subscriptionId} has ${has}: no ${format ?? 'configuration'} fragment for it.`, {
        layers: tunnel.layers,
      });
    }
    return chosen === 'wireguard' ? this.renderWireguard(tunnel) : this.renderOpenvpn(tunnel);
  }

  private async renderWireguard(tunnel: SubscriptionTunnel): Promise<string> {
    const { endpoint, publicKey } = this.config.tunnels.wireguard;
    if (!endpoint || !publicKey) {
      notConfigured('WireGuard', [...(endpoint ? [] : ['LANTERNE_WIREGUARD_ENDPOINT']), ...(publicKey ? [] : ['LANTERNE_WIREGUARD_PUBLIC_KEY'])]);
    }
    const { subscriptionId } = tunnel;
    const addresses = cpeTunnelAddresses(await this.assignments.heldBlocks(subscriptionId));
    if (addresses.length === 0) {
      throw new TunnelsError(TunnelsErrorCode.NoAddress, `Subscription ${subscriptionId} holds no IP block: assign one before rendering its tunnel, which needs the CPE's address.`);
    }
    const peer = await this.peers.peerOf(subscriptionId);
    return renderWireguardClient({
      subscriptionId,
      settings: tunnel,
      addresses,
      server: { endpoint, publicKey },
      registeredKey: peer?.type === 'wireguard' ? peer.publicKey : null,
    });
  }

  private async renderOpenvpn(tunnel: SubscriptionTunnel): Promise<string> {
    const { remote, ca } = this.config.tunnels.openvpn;
    if (!remote || !ca) {
      notConfigured('OpenVPN', [...(remote ? [] : ['LANTERNE_OPENVPN_REMOTE']), ...(ca ? [] : ['LANTERNE_OPENVPN_CA_CERT', 'LANTERNE_OPENVPN_CA_KEY'])]);
    }
    const { subscriptionId } = tunnel;
    const peer = await this.peers.peerOf(subscriptionId);
    if (peer?.type !== 'openvpn' || !peer.certificate) {
      throw new TunnelsError(
        TunnelsErrorCode.CertificateRequired,
        `Subscription ${subscriptionId} has no OpenVPN certificate yet: register the CPE's certificate request (PUT /subscriptions/${subscriptionId}/tunnel/peer) first.`,
      );
    }
    return renderOpenvpnClient({ subscriptionId, settings: tunnel, remote, caCertificate: ca.certificate, certificate: peer.certificate });
  }

  private async findTunnel(subscriptionId: string): Promise<SubscriptionTunnel> {
    const tunnel = await this.dataSource.getRepository(SubscriptionTunnel).findOneBy({ subscriptionId });
    if (tunnel) return tunnel;
    // No settings: an unknown subscription is a 404 of its own, a known one has simply none yet.
    await this.subscriptions.getSubscription(subscriptionId);
    throw new TunnelsError(TunnelsErrorCode.TunnelNotConfigured, `Subscription ${subscriptionId} has no tunnel settings yet.`);
  }
}

function notConfigured(kind: string, missing: string[]): never {
  throw new TunnelsError(TunnelsErrorCode.AssociationNotConfigured, `This instance lacks the association's side of ${kind} tunnels: set ${missing.join(' and ')}.`, { missing });
}

function toTunnelView(t: SubscriptionTunnel): TunnelView {
  return {
    subscriptionId: t.subscriptionId,
    presetId: t.presetId,
    underlayMtu: t.underlayMtu,
    carries: t.carries,
    innerMtu: t.innerMtu,
    overhead: t.overhead,
    layers: layerBytes(t.layers),
    ...(t.mssIpv4 !== null ? { mssIpv4: t.mssIpv4 } : {}),
    ...(t.mssIpv6 !== null ? { mssIpv6: t.mssIpv6 } : {}),
    warnings: t.warnings,
    updatedAt: t.updatedAt.toISOString(),
  };
}
