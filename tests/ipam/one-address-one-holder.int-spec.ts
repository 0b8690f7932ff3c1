import { IpImportService } from '../../src/ipam/ip-import.service';
import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { countRows } from '../support/refusals';
import { bearer, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;

beforeAll(async () => ({ app, tech } = await createTechnicianApp()));
afterAll(() => app.close());

const createPool = (prefix: string, assignLength: number) =>
  app.http.post('/api/v1/ip-pools').set(bearer(tech)).send({ name: `pool-${prefix}`, prefix, assignLength });
const lookup = (address: string) => app.http.get('/api/v1/ip-assignments').query({ address }).set(bearer(tech));

describe('IPv4-mapped IPv6 is IPv4 on every input', () => {
  it('two-pools-for-one-ipv4-range-written-both-ways-end-with-one-pool-and-one-holder', async () => {
    const v4 = await makePool(app, tech, '192.0.2.0/24', 32);
    const mapped = await createPool('::ffff:192.0.2.0/120', 128);
    expect(mapped.status).toBe(409);
    expect(mapped.body.type).toBe('urn:lanterne:problem:pool-overlaps');
    expect(mapped.body.detail).toContain('192.0.2.0/24');

    const alice = await makeActiveSubscription(app, tech);
    const bob = await makeActiveSubscription(app, tech);
    const first = await assign(app, tech, alice, { poolId: v4.id, prefix: '192.0.2.5' });
    expect(first.status).toBe(201);
    const second = await assign(app, tech, bob, { poolId: v4.id, prefix: '::ffff:192.0.2.5' });
    expect(second.status).toBe(409);
    expect(second.body.type).toBe('urn:lanterne:problem:prefix-taken');

    const holders = await app.sql(`SELECT subscription_id, prefix::text FROM ip_assignments`);
    expect(holders).toEqual([{ subscription_id: alice, prefix: '192.0.2.5/32' }]);
  });

  it('a-lookup-written-either-way-answers-the-same-holder', async () => {
    const pool = await makePool(app, tech, '198.51.100.0/24', 32);
    const member = await makeActiveSubscription(app, tech);
    expect((await assign(app, tech, member, { poolId: pool.id, prefix: '198.51.100.7' })).status).toBe(201);
    const plain = await lookup('198.51.100.7');
    const asMapped = await lookup('::ffff:198.51.100.7');
    const asMappedHex = await lookup('::FFFF:C633:6407');
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ address: '198.51.100.7/32', total: 1, items: [{ subscriptionId: member, prefix: '198.51.100.7/32' }] });
    expect(asMapped.body).toEqual(plain.body);
    expect(asMappedHex.body).toEqual(plain.body);
  });

  it('a-pool-written-mapped-is-stored-as-the-ipv4-pool-it-is', async () => {
    const created = await createPool('::ffff:203.0.113.0/120', 128);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ prefix: '203.0.113.0/24', family: 'ipv4', assignLength: 32 });
    const member = await makeActiveSubscription(app, tech);
    expect((await assign(app, tech, member, { poolId: created.body.id })).body.prefix).toBe('203.0.113.1/32');
  });

  it('a-mapped-prefix-shorter-than-96-is-refused', async () => {
    const refused = await createPool('::ffff:0:0/95', 128);
    expect(refused.status).toBe(400);
    expect(refused.body.errors).toEqual([{ path: 'prefix', message: expect.stringContaining('IPv4-mapped') }]);
  });

  it('an-imported-mapped-line-lands-on-the-ipv4-block-and-meets-its-holder', async () => {
    const pool = await makePool(app, tech, '100.64.0.0/24', 32);
    const alice = await makeActiveSubscription(app, tech, { startsAt: '2020-01-01T00:00:00Z' });
    const bob = await makeActiveSubscription(app, tech, { startsAt: '2020-01-01T00:00:00Z' });
    expect((await assign(app, tech, alice, { poolId: pool.id, prefix: '100.64.0.9', validFrom: '2021-01-01T00:00:00Z' })).status).toBe(201);
    const importer = app.lanterne.app.get(IpImportService);
    const clash = await importer.importAssignments(`${bob},::ffff:100.64.0.9,2022-01-01T00:00:00Z,`);
    expect(clash).toEqual({ imported: 0, rejected: [{ line: 1, reason: '100.64.0.9/32 overlaps another assignment of the same block, or its quarantine' }] });
    expect(await importer.importAssignments(`${bob},::ffff:100.64.0.10/128,2022-01-01T00:00:00Z,`)).toEqual({ imported: 1, rejected: [] });
    const rows = await app.sql(`SELECT prefix::text, family(prefix) AS family FROM ip_assignments WHERE subscription_id = $1`, [bob]);
    expect(rows).toEqual([{ prefix: '100.64.0.10/32', family: 4 }]);
  });
});

describe('pools that cannot be handed out to members', () => {
  it.each([
    ['0.0.0.0/0', 32, '0.0.0.0/8'],
    ['::/0', 128, '::/128'],
    ['::/127', 128, '::/128'],
    ['127.0.0.0/24', 32, '127.0.0.0/8'],
    ['169.254.0.0/24', 32, '169.254.0.0/16'],
    ['224.0.0.0/24', 32, '224.0.0.0/4'],
    ['fe80::/64', 128, 'fe80::/10'],
    ['ff05::/16', 128, 'ff00::/8'],
    ['::fffe:0:0/95', 128, '::ffff:0.0.0.0/96'],
  ])('refuses-pool-%s-naming-the-range-it-overlaps', async (prefix, assignLength, range) => {
    const before = await countRows(app, ['ip_pools']);
    const refused = await createPool(prefix, assignLength);
    expect(refused.status).toBe(400);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.errors).toEqual([{ path: 'prefix', message: expect.stringContaining(`overlaps ${range}`) }]);
    expect(await countRows(app, ['ip_pools'])).toEqual(before);
  });

  it('the-database-refuses-such-a-pool-written-by-hand', async () => {
    await expect(app.sql(`INSERT INTO ip_pools (name, prefix, assign_length) VALUES ('everything', '::/0', 128)`)).rejects.toThrow(/ip_pools_assignable/);
    await expect(app.sql(`INSERT INTO ip_pools (name, prefix, assign_length) VALUES ('mapped', '::ffff:192.0.2.0/120', 128)`)).rejects.toThrow(/ip_pools_assignable/);
  });

});
