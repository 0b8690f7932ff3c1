import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pool holds only addresses that can be handed out to members: none of unspecified, loopback,
 * link-local, multicast, limited broadcast, IPv4-compatible or IPv4-mapped IPv6 (the list of
 * RESERVED_RANGES in src/ipam/cidr.ts). IPv4-mapped IPv6 is IPv4: PostgreSQL keeps the two families
 * apart, so a pool ::ffff:192.0.2.0/120 beside 192.0.2.0/24 would give one address two holders; the
 * code reads such input as IPv4, and this CHECK keeps the families from ever meeting in the table.
 * Assignments lie inside their pool (ip_assignments_block_of_pool), so they need no CHECK of their own.
 * An existing pool that breaks the rule stops this migration: it must be moved by hand.
 */
export class IpamAssignableRanges1763769900000 implements MigrationInterface {
  name = 'IpamAssignableRanges1763769900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE ip_pools ADD CONSTRAINT ip_pools_assignable CHECK (NOT (prefix && ANY (ARRAY[
        '0.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '224.0.0.0/4', '255.255.255.255/32',
        '::/128', '::1/128', '::/96', '::ffff:0:0/96', 'fe80::/10', 'ff00::/8'
      ]::cidr[])))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ip_pools DROP CONSTRAINT ip_pools_assignable`);
  }
}
