import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The CPE side of each subscription's tunnel, as far as the association may know it: a WireGuard
 * public key, or the OpenVPN certificate signed from the CPE's request. Never a private key.
 */
export class TunnelPeers1764100400000 implements MigrationInterface {
  name = 'TunnelPeers1764100400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tunnel_peers (
        subscription_id uuid PRIMARY KEY REFERENCES subscriptions (id),
        type text NOT NULL CHECK (type IN ('wireguard', 'openvpn')),
        public_key text CHECK (public_key ~ '^[A-Za-z0-9+/]{42}[AEIMQUYcgkosw048]=$'),
        certificate text CHECK (certificate LIKE '-----BEGIN CERTIFICATE-----%'),
        certificate_serial text CHECK (certificate_serial ~ '^[0-9a-f]{2,40}$'),
        certificate_not_after timestamptz,
        registered_at timestamptz NOT NULL,
        registered_by uuid REFERENCES accounts (id),
        CONSTRAINT tunnel_peers_one_kind CHECK (
          CASE type
            WHEN 'wireguard' THEN public_key IS NOT NULL AND certificate IS NULL AND certificate_serial IS NULL AND certificate_not_after IS NULL
            ELSE public_key IS NULL AND certificate IS NOT NULL AND certificate_serial IS NOT NULL AND certificate_not_after IS NOT NULL
          END
        )
      )`);
    // One CPE key, one subscription: the router could not tell two peers with one key apart.
    await q.query(`CREATE UNIQUE INDEX tunnel_peers_public_key_key ON tunnel_peers (public_key)`);
    await q.query(`CREATE UNIQUE INDEX tunnel_peers_certificate_serial_key ON tunnel_peers (certificate_serial)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE tunnel_peers`);
  }
}
