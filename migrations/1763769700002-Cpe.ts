import { MigrationInterface, QueryRunner } from 'typeorm';

/** CPE inventory and loans: who had which device when. */
export class Cpe1763769700002 implements MigrationInterface {
  name = 'Cpe1763769700002';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cpe (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        model text NOT NULL CHECK (length(model) BETWEEN 1 AND 100),
        serial text NOT NULL CHECK (length(serial) BETWEEN 1 AND 100),
        status text NOT NULL DEFAULT 'in_stock' CHECK (status IN ('in_stock', 'assigned', 'broken')),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Vendors print serials in either case.
    await q.query(`CREATE UNIQUE INDEX cpe_serial_key ON cpe (upper(serial))`);
    await q.query(`CREATE INDEX cpe_status_idx ON cpe (status)`);
    // macaddr stores one canonical form whatever the spelling, so the primary key catches every duplicate.
    await q.query(`
      CREATE TABLE cpe_mac_addresses (
        mac macaddr NOT NULL CONSTRAINT cpe_mac_addresses_mac_key PRIMARY KEY,
        cpe_id uuid NOT NULL REFERENCES cpe (id),
        position smallint NOT NULL
      )`);
    await q.query(`CREATE INDEX cpe_mac_addresses_cpe_idx ON cpe_mac_addresses (cpe_id)`);
    await q.query(`
      CREATE TABLE cpe_loans (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        cpe_id uuid NOT NULL REFERENCES cpe (id),
        subscription_id uuid NOT NULL REFERENCES subscriptions (id),
        assigned_at timestamptz NOT NULL,
        assigned_by uuid REFERENCES accounts (id),
        returned_at timestamptz,
        returned_by uuid REFERENCES accounts (id),
        return_condition text CHECK (return_condition IN ('ok', 'broken')),
        -- Set when the subscription ends with the device still out: it is then to be collected.
        subscription_ended_at timestamptz,
        CHECK ((returned_at IS NULL) = (return_condition IS NULL)),
        CHECK (returned_at >= assigned_at),
        CONSTRAINT cpe_loans_one_holder_at_a_time EXCLUDE USING gist (cpe_id WITH =, tstzrange(assigned_at, returned_at, '[)') WITH &&)
      )`);
    await q.query(`CREATE INDEX cpe_loans_cpe_idx ON cpe_loans (cpe_id, assigned_at)`);
    await q.query(`CREATE INDEX cpe_loans_open_by_subscription_idx ON cpe_loans (subscription_id) WHERE returned_at IS NULL`);
    await q.query(`CREATE INDEX cpe_loans_to_collect_idx ON cpe_loans (subscription_ended_at) WHERE returned_at IS NULL AND subscription_ended_at IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE cpe_loans`);
    await q.query(`DROP TABLE cpe_mac_addresses`);
    await q.query(`DROP TABLE cpe`);
  }
}
