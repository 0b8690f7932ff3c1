import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export const RETURN_CONDITIONS = ['ok', 'broken'] as const;
export type ReturnCondition = (typeof RETURN_CONDITIONS)[number];

/** A device lent to a subscription from assignedAt until returnedAt. */
@Entity('cpe_loans')
export class CpeLoan {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'cpe_id', type: 'uuid' })
  cpeId: string;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId: string;

  @Column({ name: 'assigned_at', type: 'timestamptz' })
  assignedAt: Date;

  @Column({ name: 'assigned_by', type: 'uuid', nullable: true })
  assignedBy: string | null;

  @Column({ name: 'returned_at', type: 'timestamptz', nullable: true })
  returnedAt: Date | null;

  @Column({ name: 'returned_by', type: 'uuid', nullable: true })
  returnedBy: string | null;

  @Column({ name: 'return_condition', type: 'text', nullable: true })
  returnCondition: ReturnCondition | null;

  /** When the subscription ended while the device was still out: it is to be collected. */
  @Column({ name: 'subscription_ended_at', type: 'timestamptz', nullable: true })
  subscriptionEndedAt: Date | null;
}
