import { Injectable, OnModuleInit } from '@nestjs/common';
import { In } from 'typeorm';
import { MemberDataProviders } from '../privacy/member-data-providers';
import { SubscriptionsService } from '../subscribers/subscriptions.service';
import { SubscriptionTunnel } from './subscription-tunnel.entity';
import { TunnelPeer } from './tunnel-peer.entity';
import { toPeerView } from './tunnel-peers.service';

const withoutSubscription = <T extends { subscriptionId: string }>({ subscriptionId: _listedUnder, ...rest }: T) => rest;

/** The tunnels context's share of the member's export: per subscription, its tunnel settings and its CPE peer (public material only). */
@Injectable()
export class TunnelsMemberData implements OnModuleInit {
  constructor(
    private readonly subscriptions: SubscriptionsService,
    private readonly providers: MemberDataProviders,
  ) {}

  onModuleInit(): void {
    this.providers.register('tunnels', async ({ em, subscriberId }) => {
      const ids = await this.subscriptions.idsOf(em, subscriberId);
      const [settings, peers] = await Promise.all([
        em.getRepository(SubscriptionTunnel).findBy({ subscriptionId: In(ids) }),
        em.getRepository(TunnelPeer).findBy({ subscriptionId: In(ids) }),
      ]);
      return ids
        .map((subscriptionId) => ({ subscriptionId, settings: settings.find((s) => s.subscriptionId === subscriptionId), peer: peers.find((p) => p.subscriptionId === subscriptionId) }))
        .filter(({ settings, peer }) => settings || peer)
        .map(({ subscriptionId, settings, peer }) => ({
          subscriptionId,
          settings: settings
            ? {
                underlayMtu: settings.underlayMtu,
                layers: settings.layers,
                carries: settings.carries,
                innerMtu: settings.innerMtu,
                overhead: settings.overhead,
                mssIpv4: settings.mssIpv4,
                mssIpv6: settings.mssIpv6,
                warnings: settings.warnings,
                updatedAt: settings.updatedAt.toISOString(),
              }
            : null,
          peer: peer ? withoutSubscription(toPeerView(peer)) : null,
        }));
    });
  }
}
