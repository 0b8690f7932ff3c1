import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { PG_UNIQUE_VIOLATION, pgConstraint, pgErrorCode } from '../common/database-errors';
import { iso } from '../common/schemas';
import { APP_CONFIG, AppConfig, OpenvpnCa } from '../config/config';
import { ProvisioningService } from '../provisioning/provisioning.service';
import { SubscriptionsService } from '../subscribers/subscriptions.service';
import { CertificateRequest, readCertificateRequest, signClientCertificate } from './openvpn-certificate';
import { TunnelPeer } from './tunnel-peer.entity';
import { invalidPeerField, TunnelsError, TunnelsErrorCode } from './tunnels.errors';
import { PeerType, PeerView, RegisterPeerInput } from './tunnels.schemas';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The CPE side of each tunnel: the public key or the signed certificate of a key pair that the member
 * made at home. Lanterne never generates, receives or stores a member's private key. Every change
 * reaches the routers through the provisioning feed, in the transaction that makes it.
 */
@Injectable()
export class TunnelPeersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly subscriptions: SubscriptionsService,
    private readonly provisioning: ProvisioningService,
  ) {}

  /** Registers (or replaces) an active subscription's peer; a key that another subscription has is a 409. */
  async register(subscriptionId: string, input: RegisterPeerInput, actor: Actor): Promise<PeerView> {
    const now = this.clock.now();
    // The request is checked before any transaction: that needs no database.
    const request = input.type === 'openvpn' ? await this.checkedRequest(input.csr as string) : undefined;
    try {
      const peer = await this.dataSource.transaction(async (em) => {
        await this.subscriptions.lockActiveSubscription(em, subscriptionId);
        const registered: TunnelPeer = request
          ? await this.signed(subscriptionId, request, now, actor)
          : { ...emptyPeer(subscriptionId, 'wireguard', now, actor), publicKey: input.publicKey as string };
        await em.getRepository(TunnelPeer).upsert(registered, ['subscriptionId']);
        await this.provisioning.recordChange(em, { kind: 'peer.changed', subscriptionId, details: changeDetails(registered) });
        return registered;
      });
      return toPeerView(peer);
    } catch (error) {
      if (pgErrorCode(error) === PG_UNIQUE_VIOLATION && pgConstraint(error) === 'tunnel_peers_public_key_key') {
        throw new TunnelsError(TunnelsErrorCode.PeerKeyTaken, 'This WireGuard public key is registered for another subscription: each CPE makes its own key pair.');
      }
      throw error;
    }
  }

  async getPeer(subscriptionId: string): Promise<PeerView> {
    return toPeerView(await this.findPeer(this.dataSource.manager, subscriptionId));
  }

  /** What the tunnel configuration needs: the registered peer, if any. */
  async peerOf(subscriptionId: string): Promise<TunnelPeer | null> {
    return this.dataSource.getRepository(TunnelPeer).findOneBy({ subscriptionId });
  }

  async peersOfType(type: PeerType): Promise<TunnelPeer[]> {
    return this.dataSource.getRepository(TunnelPeer).find({ where: { type }, order: { subscriptionId: 'ASC' } });
  }

  /** Forgets the peer (a lost or replaced CPE): the routers drop it at their next export. */
  async remove(subscriptionId: string): Promise<void> {
    await this.dataSource.transaction(async (em) => {
      const peer = await this.findPeer(em, subscriptionId, true);
      await em.getRepository(TunnelPeer).delete({ subscriptionId });
      const cleared: Record<string, string | null> = peer.type === 'wireguard' ? { publicKey: null } : { certificateSerial: null };
      await this.provisioning.recordChange(em, { kind: 'peer.changed', subscriptionId, details: { peerType: peer.type, ...cleared } });
    });
  }

  /** A request this instance can sign: a CA is configured and the request holds (else a 409, or a 400 naming csr). */
  private async checkedRequest(csr: string): Promise<CertificateRequest> {
    if (!this.config.tunnels.openvpn.ca) {
      throw new TunnelsError(
        TunnelsErrorCode.AssociationNotConfigured,
        'This instance has no OpenVPN CA to sign certificates with: set LANTERNE_OPENVPN_CA_CERT and LANTERNE_OPENVPN_CA_KEY (or their _FILE variants).',
        { missing: ['LANTERNE_OPENVPN_CA_CERT', 'LANTERNE_OPENVPN_CA_KEY'] },
      );
    }
    const check = await readCertificateRequest(csr);
    if (!check.ok) throw invalidPeerField('csr', check.reason);
    return check.request;
  }

  /** Signs for the subscription, once it is known to be active. */
  private async signed(subscriptionId: string, request: CertificateRequest, now: Date, actor: Actor): Promise<TunnelPeer> {
    const { ca, certificateDays } = this.config.tunnels.openvpn;
    const notAfter = new Date(now.getTime() + certificateDays * DAY_MS);
    const signed = await signClientCertificate(request, ca as OpenvpnCa, { commonName: subscriptionId, notBefore: now, notAfter });
    return { ...emptyPeer(subscriptionId, 'openvpn', now, actor), certificate: signed.pem, certificateSerial: signed.serialNumber, certificateNotAfter: signed.notAfter };
  }

  private async findPeer(em: EntityManager, subscriptionId: string, forUpdate = false): Promise<TunnelPeer> {
    const peer = await em.getRepository(TunnelPeer).findOne({ where: { subscriptionId }, ...(forUpdate ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (peer) return peer;
    await this.subscriptions.getSubscription(subscriptionId, em);
    throw new TunnelsError(TunnelsErrorCode.PeerNotRegistered, `Subscription ${subscriptionId} has no tunnel peer registered.`);
  }
}

function emptyPeer(subscriptionId: string, type: PeerType, now: Date, actor: Actor): TunnelPeer {
  return { subscriptionId, type, publicKey: null, certificate: null, certificateSerial: null, certificateNotAfter: null, registeredAt: now, registeredBy: actor.id };
}

/** Network values only: what a router needs to recognise the peer. */
function changeDetails(peer: TunnelPeer): Record<string, string | null> {
  return peer.type === 'wireguard'
    ? { peerType: 'wireguard', publicKey: peer.publicKey }
    : { peerType: 'openvpn', commonName: peer.subscriptionId, certificateSerial: peer.certificateSerial };
}

/** A peer as the API shows it, and (without its subscription, which it is listed under) in the member's export. */
export function toPeerView(peer: TunnelPeer): PeerView {
  return {
    subscriptionId: peer.subscriptionId,
    type: peer.type,
    publicKey: peer.publicKey,
    certificate: peer.certificate,
    certificateSerial: peer.certificateSerial,
    certificateNotAfter: iso(peer.certificateNotAfter),
    registeredAt: peer.registeredAt.toISOString(),
  };
}
