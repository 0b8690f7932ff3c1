import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('cpe_mac_addresses')
export class CpeMacAddress {
  /** Lower-case colon form, as PostgreSQL's macaddr prints it. */
  @PrimaryColumn({ type: 'macaddr' })
  mac: string;

  @Column({ name: 'cpe_id', type: 'uuid' })
  cpeId: string;

  /** Order in which the MACs were given (e.g. WAN first). */
  @Column({ type: 'smallint' })
  position: number;
}
