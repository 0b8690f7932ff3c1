import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One block of a pool held by a subscription over [validFrom, validUntil), then in quarantine
 * until quarantineUntil. The table also has generated columns (chunk, validity, held) that only
 * SQL reads.
 */
@Entity('ip_assignments')
export class IpAssignment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'pool_id', type: 'uuid' })
  poolId: string;

  @Column({ name: 'pool_prefix', type: 'cidr' })
  poolPrefix: string;

  @Column({ name: 'assign_length', type: 'integer' })
  assignLength: number;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId: string;

  @Column({ type: 'cidr' })
  prefix: string;

  @Column({ name: 'valid_from', type: 'timestamptz' })
  validFrom: Date;

  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil: Date | null;

  @Column({ name: 'quarantine_until', type: 'timestamptz', nullable: true })
  quarantineUntil: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
