import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const CPE_STATUSES = ['in_stock', 'assigned', 'broken'] as const;
export type CpeStatus = (typeof CPE_STATUSES)[number];

/** A device of the inventory. Its MAC addresses and loans are rows of their own. */
@Entity('cpe')
export class Cpe {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  model: string;

  @Column({ type: 'text' })
  serial: string;

  @Column({ type: 'text' })
  status: CpeStatus;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
