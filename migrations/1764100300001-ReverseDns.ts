import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reverse DNS: the PTR names set on addresses that subscriptions hold, with their history (a name is
 * current until `cleared_at`), and one SOA serial per reverse zone.
 *
 * - A name belongs to an assignment, and goes with it when retention deletes the assignment
 *   (ON DELETE CASCADE). The foreign key carries the assignment's prefix, so that a CHECK keeps
 *   the address inside it.
 * - One current name per address (reverse_dns_names_one_current).
 */
export class ReverseDns1764100300001 implements MigrationInterface {
  name = 'ReverseDns1764100300001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ip_assignments ADD CONSTRAINT ip_assignments_id_prefix_key UNIQUE (id, prefix)`);
    await q.query(`
      CREATE TABLE reverse_dns_names (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assignment_id uuid NOT NULL,
        assignment_prefix cidr NOT NULL,
        address inet NOT NULL,
        name text NOT NULL,
        set_at timestamptz NOT NULL,
        set_by uuid REFERENCES accounts (id),
        cleared_at timestamptz,
        cleared_because text,
        CONSTRAINT reverse_dns_names_assignment_fkey FOREIGN KEY (assignment_id, assignment_prefix)
          REFERENCES ip_assignments (id, prefix) ON DELETE CASCADE,
        CONSTRAINT reverse_dns_names_host_address CHECK (masklen(address) = CASE family(address) WHEN 4 THEN 32 ELSE 128 END),
        CONSTRAINT reverse_dns_names_inside_assignment CHECK (address <<= assignment_prefix),
        CONSTRAINT reverse_dns_names_hostname CHECK (
          length(name) <= 253 AND name ~ '^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'
        ),
        CONSTRAINT reverse_dns_names_cleared CHECK ((cleared_at IS NULL) = (cleared_because IS NULL) AND cleared_at >= set_at),
        CONSTRAINT reverse_dns_names_cleared_because CHECK (cleared_because IN ('replaced', 'cleared', 'released'))
      )`);
    await q.query(`CREATE UNIQUE INDEX reverse_dns_names_one_current ON reverse_dns_names (address) WHERE cleared_at IS NULL`);
    await q.query(`CREATE INDEX reverse_dns_names_assignment_idx ON reverse_dns_names (assignment_id)`);
    await q.query(`CREATE INDEX reverse_dns_names_current_address_idx ON reverse_dns_names USING gist (address inet_ops) WHERE cleared_at IS NULL`);
    await q.query(`
      CREATE TABLE dns_zone_serials (
        zone text PRIMARY KEY,
        serial bigint NOT NULL CHECK (serial BETWEEN 1 AND 4294967295),
        changed_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE dns_zone_serials`);
    await q.query(`DROP TABLE reverse_dns_names`);
    await q.query(`ALTER TABLE ip_assignments DROP CONSTRAINT ip_assignments_id_prefix_key`);
  }
}
