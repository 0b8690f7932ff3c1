import { MigrationInterface, QueryRunner } from 'typeorm';

const LAYERS = `ARRAY['ipv4', 'ipv6', 'udp', 'wireguard', 'openvpn-aead', 'gre', 'gre-key', 'vxlan', 'ethernet', 'vlan', 'pppoe', 'macsec', 'l2tpv3', 'mpls']`;

/** Operators' line presets and each subscription's tunnel settings, stored with the values computed from them. */
export class Tunnels1763769700001 implements MigrationInterface {
  name = 'Tunnels1763769700001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tunnel_presets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        description text CHECK (length(description) <= 500),
        underlay_mtu integer NOT NULL CHECK (underlay_mtu BETWEEN 68 AND 65535),
        layers text[] NOT NULL CHECK (layers <@ ${LAYERS} AND cardinality(layers) <= 16),
        created_by uuid REFERENCES accounts (id),
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT tunnel_presets_name_key UNIQUE (name)
      )`);
    await q.query(`
      CREATE TABLE subscription_tunnels (
        subscription_id uuid PRIMARY KEY REFERENCES subscriptions (id),
        preset_id uuid REFERENCES tunnel_presets (id),
        underlay_mtu integer NOT NULL CHECK (underlay_mtu BETWEEN 68 AND 65535),
        layers text[] NOT NULL CHECK (layers <@ ${LAYERS} AND cardinality(layers) <= 16),
        carries text[] NOT NULL CHECK (carries <@ ARRAY['ipv4', 'ipv6'] AND cardinality(carries) BETWEEN 1 AND 2),
        inner_mtu integer NOT NULL,
        overhead integer NOT NULL,
        mss_ipv4 integer,
        mss_ipv6 integer,
        warnings text[] NOT NULL,
        updated_at timestamptz NOT NULL,
        CHECK (inner_mtu = underlay_mtu - overhead),
        CHECK ((mss_ipv4 IS NOT NULL) = ('ipv4' = ANY (carries)) AND (mss_ipv6 IS NOT NULL) = ('ipv6' = ANY (carries))),
        CHECK (inner_mtu >= CASE WHEN 'ipv6' = ANY (carries) THEN 1280 ELSE 576 END)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE subscription_tunnels`);
    await q.query(`DROP TABLE tunnel_presets`);
  }
}
