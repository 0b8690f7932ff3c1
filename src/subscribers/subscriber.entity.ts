import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const SUBSCRIBER_STATUSES = ['pending', 'active', 'suspended', 'terminated'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

/** A member of the association: operational data only; the legal identity lives in the vault. */
@Entity('subscribers')
export class Subscriber {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'member_number', type: 'integer' })
  memberNumber: number;

  @Column({ name: 'display_name' })
  displayName: string;

  @Column()
  email: string;

  @Column()
  language: string;

  @Column({ type: 'text' })
  status: SubscriberStatus;

  @Column({ name: 'terminated_at', type: 'timestamptz', nullable: true })
  terminatedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
