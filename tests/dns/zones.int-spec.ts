import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const run = promisify(execFile);

let app: TestApp;
let tech: string;
let dir: string;

beforeAll(async () => {
  app = await createTestApp({ LANTERNE_DNS_NAMESERVERS: 'ns1.example.org, ns2.example.net.', LANTERNE_DNS_SOA_CONTACT: 'dns.admin@example.org' });
  tech = await app.tokenFor('technician');
  dir = mkdtempSync(join(tmpdir(), 'lanterne-zones-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await app.close();
});

const zoneFile = (zone: string) => app.http.get(`/api/v1/dns/zones/${zone}`).set(bearer(tech));

/** named-checkzone (BIND 9) loads the file as a name server would; it exits non-zero on any error. */
async function checkZone(zone: string, text: string): Promise<string> {
  const file = join(dir, `${zone}.zone`);
  writeFileSync(file, text);
  const { stdout } = await run('named-checkzone', ['-k', 'fail', '-n', 'fail', '-M', 'fail', '-S', 'fail', zone, file]);
  return stdout;
}

/** Assigns a block of the pool to a new subscription and names `address` (inside it, or the block itself). */
async function named(poolId: string, address: (prefix: string) => string, name: string): Promise<void> {
  const subscriptionId = await makeActiveSubscription(app, tech);
  const held = await assign(app, tech, subscriptionId, { poolId });
  expect(held.status).toBe(201);
  const set = await app.http.put(`/api/v1/subscriptions/${subscriptionId}/reverse-dns`).set(bearer(tech)).send({ address: address(held.body.prefix), name });
  expect(set.status).toBe(200);
}

describe('reverse zones checked by a real zone checker', () => {
  it('renders-an-ipv4-slash-24-that-named-checkzone-loads', async () => {
    const pool = await makePool(app, tech, '192.0.2.0/24', 32);
    await named(pool.id, (p) => p.replace('/32', ''), 'one.example.org');
    await named(pool.id, (p) => p.replace('/32', ''), 'two.example.org');
    const served = await zoneFile('2.0.192.in-addr.arpa');
    expect(served.status).toBe(200);
    expect(served.headers['content-type']).toMatch(/^text\/plain/);
    expect(served.text).toContain('@\tIN\tSOA\tns1.example.org. dns\\.admin.example.org. (');
    expect(served.text).toContain('1\tIN\tPTR\tone.example.org.');
    expect(served.text).toContain('2\tIN\tPTR\ttwo.example.org.');
    const serial = Number(/(\d+) ; serial/.exec(served.text)?.[1]);
    expect(serial).toBe(2026060101);
    expect(await checkZone('2.0.192.in-addr.arpa', served.text)).toContain(`loaded serial ${serial}`);
  });

  it('renders-an-rfc-2317-classless-zone-for-a-slash-28', async () => {
    const pool = await makePool(app, tech, '198.51.100.16/28', 32);
    await named(pool.id, (p) => p.replace('/32', ''), 'small.example.org');
    const served = await zoneFile('16-31.100.51.198.in-addr.arpa.');
    expect(served.status).toBe(200);
    expect(served.text).toContain('17\tIN\tPTR\tsmall.example.org.');
    expect(served.text).toContain('; $GENERATE 16-31 $ CNAME $.16-31.100.51.198.in-addr.arpa.');
    expect(await checkZone('16-31.100.51.198.in-addr.arpa', served.text)).toMatch(/loaded serial \d+\nOK/);
  });

  it('renders-an-ipv6-slash-48-of-slash-56-blocks-as-one-zone', async () => {
    const pool = await makePool(app, tech, '2001:db8:4400::/48', 56);
    await named(pool.id, (p) => p.replace('::/56', '::1'), 'cpe-1.example.net');
    await named(pool.id, (p) => p.replace('::/56', ':ffff:ffff:ffff:ffff'), 'cpe-2.example.net');
    const listed = await app.http.get('/api/v1/dns/zones').set(bearer(tech));
    expect(listed.body.items).toContainEqual({ zone: '0.0.4.4.8.b.d.0.1.0.0.2.ip6.arpa', kind: 'ip6', prefix: '2001:db8:4400::/48', poolId: pool.id, serial: 2026060101 });
    const served = await zoneFile('0.0.4.4.8.b.d.0.1.0.0.2.ip6.arpa');
    expect(served.status).toBe(200);
    expect(served.text).toContain('1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0\tIN\tPTR\tcpe-1.example.net.');
    expect(served.text).toContain('f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.f.0.0.1.0\tIN\tPTR\tcpe-2.example.net.');
    expect(await checkZone('0.0.4.4.8.b.d.0.1.0.0.2.ip6.arpa', served.text)).toMatch(/OK/);
  });

  it('lists-every-zone-of-every-pool-and-bumps-a-serial-on-each-change', async () => {
    const pool = await makePool(app, tech, '203.0.112.0/23', 32);
    const listed = await app.http.get('/api/v1/dns/zones').set(bearer(tech)).query({ limit: '500' });
    const zones = listed.body.items.filter((zone: { poolId: string }) => zone.poolId === pool.id);
    expect(zones).toEqual([
      { zone: '112.0.203.in-addr.arpa', kind: 'in-addr', prefix: '203.0.112.0/24', poolId: pool.id, serial: 1 },
      { zone: '113.0.203.in-addr.arpa', kind: 'in-addr', prefix: '203.0.113.0/24', poolId: pool.id, serial: 1 },
    ]);
    const subscriptionId = await makeActiveSubscription(app, tech);
    await assign(app, tech, subscriptionId, { poolId: pool.id, prefix: '203.0.113.7' });
    const serialOf = async () => Number(/(\d+) ; serial/.exec((await zoneFile('113.0.203.in-addr.arpa')).text)?.[1]);
    expect(await serialOf()).toBe(1);
    const put = (name: string) => app.http.put(`/api/v1/subscriptions/${subscriptionId}/reverse-dns`).set(bearer(tech)).send({ address: '203.0.113.7', name });
    await put('a.example.org').expect(200);
    expect(await serialOf()).toBe(2026060100);
    await put('b.example.org').expect(200);
    expect(await serialOf()).toBe(2026060101);
    app.clock.advance(24 * 3600 * 1000);
    await app.http.delete(`/api/v1/subscriptions/${subscriptionId}/reverse-dns`).query({ address: '203.0.113.7' }).set(bearer(tech)).expect(204);
    expect(await serialOf()).toBe(2026060200);
    const empty = (await zoneFile('113.0.203.in-addr.arpa')).text;
    expect(empty).not.toContain('\tPTR\t');
    expect(await checkZone('113.0.203.in-addr.arpa', empty)).toMatch(/OK/);
  });

  it('an-unknown-zone-is-a-404-and-only-technicians-and-admins-read-zones', async () => {
    const unknown = await zoneFile('9.9.9.in-addr.arpa');
    expect(unknown.status).toBe(404);
    expect(unknown.body.type).toBe('urn:lanterne:problem:zone-not-found');
    expect((await app.http.get('/api/v1/dns/zones/not_a_zone').set(bearer(tech))).status).toBe(400);
    const ccj = await app.tokenFor('ccj');
    expect((await app.http.get('/api/v1/dns/zones').set(bearer(ccj))).status).toBe(403);
  });
});

describe('without name servers configured', () => {
  it('lists-zones-but-refuses-to-render-one-with-a-409', async () => {
    const bare = await createTestApp();
    try {
      const token = await bare.tokenFor('technician');
      await makePool(bare, token, '192.0.2.0/24', 32);
      const refused = await bare.http.get('/api/v1/dns/zones/2.0.192.in-addr.arpa').set(bearer(token));
      expect(refused.status).toBe(409);
      expect(refused.body.type).toBe('urn:lanterne:problem:nameservers-not-configured');
    } finally {
      await bare.close();
    }
  });
});
