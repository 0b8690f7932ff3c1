import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { CarriedFamily, TunnelLayer } from './mtu';

/** A subscription's tunnel: what the technician set and what was computed from it, kept together. */
@Entity('subscription_tunnels')
export class SubscriptionTunnel {
  @PrimaryColumn({ name: 'subscription_id', type: 'uuid' })
  subscriptionId: string;

  @Column({ name: 'preset_id', type: 'uuid', nullable: true })
  presetId: string | null;

  @Column({ name: 'underlay_mtu', type: 'integer' })
  underlayMtu: number;

  @Column({ type: 'text', array: true })
  layers: TunnelLayer[];

  @Column({ type: 'text', array: true })
  carries: CarriedFamily[];

  @Column({ name: 'inner_mtu', type: 'integer' })
  innerMtu: number;

  @Column({ type: 'integer' })
  overhead: number;

  @Column({ name: 'mss_ipv4', type: 'integer', nullable: true })
  mssIpv4: number | null;

  @Column({ name: 'mss_ipv6', type: 'integer', nullable: true })
  mssIpv6: number | null;

  @Column({ type: 'text', array: true })
  warnings: string[];

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
