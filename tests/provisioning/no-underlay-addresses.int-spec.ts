import { Client } from 'pg';
import { runMigrations } from '../../src/database/migrate';
import { createTestDatabase } from '../support/test-app';

/**
 * Lanterne keeps no connection log of members' underlay addresses: the address of their home line,
 * from which their CPE reaches the tunnel, is nowhere in the database (docs/privacy.md). A column
 * that could hold one, by its name or by its type, fails this test; a tunnel endpoint of the
 * association's own side lives in the configuration, not in a table.
 */
const SUSPECT_NAMES: { pattern: RegExp; why: string }[] = [
  { pattern: /underlay_?(ip|addr|address|host|endpoint)/, why: 'an underlay address' },
  { pattern: /(home|remote|source|src|client|origin|peer|public|real|wan|member|customer|user|caller|request|login|last_seen)_?(ip|ips|inet|addr|address|host|endpoint)s?$/, why: "someone's address" },
  { pattern: /endpoint/, why: 'a tunnel endpoint, which for a peer is its home address' },
  { pattern: /(connection|connect|session|access|login)_?(log|history|from)/, why: 'a connection log' },
  { pattern: /^(ip|ip_address|ipaddr|remote_ip|x_forwarded_for|forwarded_for|user_agent)$/, why: 'a request log' },
];

/**
 * Every column of an address type, each a prefix or address Lanterne routes to members (or the
 * bookkeeping of one): anything new must say here why it is not an underlay address.
 */
const ADDRESS_COLUMNS = new Set([
  'ip_pools.prefix', // a pool of the association's own addresses
  'ip_assignments.pool_prefix', // copy of the pool's prefix, for the CHECKs
  'ip_assignments.prefix', // the block routed to the member over the tunnel
  'ip_assignments.chunk', // generated from prefix, for the free-block summary
  'ip_pool_chunks.chunk',
  'reverse_dns_names.assignment_prefix', // copy of the assignment's prefix, for the CHECK
  'reverse_dns_names.address', // an address inside a block the association routes
  'legal_request_selectors.address', // the public address an authority names in its request, never one Lanterne saw a connection from
]);

let columns: { table_name: string; column_name: string; data_type: string; udt_name: string }[];

beforeAll(async () => {
  const database = await createTestDatabase();
  try {
    await runMigrations(database.url);
    const client = new Client({ connectionString: database.url });
    await client.connect();
    columns = (await client.query(`SELECT table_name, column_name, data_type, udt_name FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, column_name`)).rows;
    await client.end();
  } finally {
    await database.drop();
  }
});

describe('no connection log of members\' underlay addresses', () => {
  it('the-migrated-schema-has-columns-to-look-at', () => {
    expect(columns.map((c) => `${c.table_name}.${c.column_name}`)).toEqual(expect.arrayContaining(['ip_assignments.prefix', 'accounts.token_hash']));
  });

  it('no-column-is-named-like-an-underlay-or-client-address-or-a-connection-log', () => {
    const found = columns.flatMap((c) => SUSPECT_NAMES.filter(({ pattern }) => pattern.test(c.column_name) || pattern.test(c.table_name)).map(({ why }) => `${c.table_name}.${c.column_name}: ${why}`));
    expect(found).toEqual([]);
  });

  it('every-column-of-an-address-type-is-one-the-association-routes', () => {
    const typed = columns.filter((c) => ['inet', 'cidr'].includes(c.udt_name)).map((c) => `${c.table_name}.${c.column_name}`);
    expect(typed.filter((name) => !ADDRESS_COLUMNS.has(name))).toEqual([]);
  });

  it('the-patterns-catch-what-they-are-for', () => {
    for (const name of ['underlay_ip', 'home_address', 'remote_addr', 'source_ip', 'client_ip', 'peer_endpoint', 'endpoint', 'connection_log', 'last_seen_ip', 'user_agent']) {
      expect(SUSPECT_NAMES.some(({ pattern }) => pattern.test(name))).toBe(true);
    }
  });
});
