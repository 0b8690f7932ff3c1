import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { TunnelLayer } from './mtu';

/** An operator's line as technicians know it: its underlay MTU and the layers a tunnel over it usually adds. */
@Entity('tunnel_presets')
export class TunnelPreset {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ name: 'underlay_mtu', type: 'integer' })
  underlayMtu: number;

  @Column({ type: 'text', array: true })
  layers: TunnelLayer[];

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
