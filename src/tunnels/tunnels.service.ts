import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { SubscriptionsService } from '../subscribers/subscriptions.service';
import { renderOpenvpnFragment, renderWireguardFragment } from './cpe-config';
import { computeTunnelMtu, layerBytes, TunnelLayer, TunnelMtu, TunnelMtuRequest } from './mtu';
import { SubscriptionTunnel } from './subscription-tunnel.entity';
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

  /** The CPE-side fragment; asking a WireGuard tunnel for OpenVPN options (or the reverse) is a 409. */
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
    return chosen === 'wireguard' ? renderWireguardFragment(tunnel) : renderOpenvpnFragment(tunnel);
  }

  private async findTunnel(subscriptionId: string): Promise<SubscriptionTunnel> {
    const tunnel = await this.dataSource.getRepository(SubscriptionTunnel).findOneBy({ subscriptionId });
    if (tunnel) return tunnel;
    // No settings: an unknown subscription is a 404 of its own, a known one has simply none yet.
    await this.subscriptions.getSubscription(subscriptionId);
    throw new TunnelsError(TunnelsErrorCode.TunnelNotConfigured, `Subscription ${subscriptionId} has no tunnel settings yet.`);
  }
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
