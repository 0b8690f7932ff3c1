import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { PeerType } from './tunnels.schemas';

/** The CPE side of a subscription's tunnel: public material only (migrations/1764100400000-TunnelPeers.ts). */
@Entity('tunnel_peers')
export class TunnelPeer {
  @PrimaryColumn({ name: 'subscription_id', type: 'uuid' })
  subscriptionId: string;

  @Column({ type: 'text' })
  type: PeerType;

  /** WireGuard: the CPE's public key, canonical base64. */
  @Column({ name: 'public_key', type: 'text', nullable: true })
  publicKey: string | null;

  /** OpenVPN: the PEM certificate signed by the association's CA. */
  @Column({ type: 'text', nullable: true })
  certificate: string | null;

  @Column({ name: 'certificate_serial', type: 'text', nullable: true })
  certificateSerial: string | null;

  @Column({ name: 'certificate_not_after', type: 'timestamptz', nullable: true })
  certificateNotAfter: Date | null;

  @Column({ name: 'registered_at', type: 'timestamptz' })
  registeredAt: Date;

  @Column({ name: 'registered_by', type: 'uuid', nullable: true })
  registeredBy: string | null;
}
