import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { associationEnvironment, makeCsr } from '../support/tunnel-association';
import { bearer, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;
let poolId: string;

beforeAll(async () => {
  ({ app, tech } = await createTechnicianApp((await associationEnvironment()).env));
  poolId = (await makePool(app, tech, '192.0.2.0/24', 32)).id;
});
afterAll(() => app.close());

const countRows = async (table: string) => Number((await app.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);
const putTunnel = (sub: string, body: object) => app.http.put(`/api/v1/subscriptions/${sub}/tunnel`).set(bearer(tech)).send(body);
const config = (sub: string, format?: string) => app.http.get(`/api/v1/subscriptions/${sub}/tunnel/config`).query(format ? { format } : {}).set(bearer(tech));

describe('presets', () => {
  it('creates-lists-and-reuses-a-preset-for-an-operator-line', async () => {
    const created = await app.http
      .post('/api/v1/tunnel-presets')
      .set(bearer(tech))
      .send({ name: 'Wholesale VDSL 1432', description: 'PPPoE wholesale line', underlayMtu: 1432, layers: ['ipv6', 'udp', 'wireguard'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Wholesale VDSL 1432', underlayMtu: 1432, layers: ['ipv6', 'udp', 'wireguard'], overhead: 80 });
    const listed = await app.http.get('/api/v1/tunnel-presets').set(bearer(tech));
    expect(listed.body.items.map((p: { id: string }) => p.id)).toContain(created.body.id);
    expect((await app.http.get(`/api/v1/tunnel-presets/${created.body.id}`).set(bearer(tech))).body.name).toBe('Wholesale VDSL 1432');

    const sub = await makeActiveSubscription(app, tech);
    const set = await putTunnel(sub, { preset: created.body.id, carries: ['ipv4', 'ipv6'] });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ subscriptionId: sub, presetId: created.body.id, underlayMtu: 1432, innerMtu: 1352, mssIpv4: 1312, mssIpv6: 1292 });
    const overridden = await putTunnel(sub, { preset: created.body.id, underlayMtu: 1500, carries: ['ipv6'] });
    expect(overridden.body).toMatchObject({ underlayMtu: 1500, innerMtu: 1420, mssIpv6: 1360 });
    expect(overridden.body.mssIpv4).toBeUndefined();
  });

  it('refuses-a-second-preset-with-the-same-name-and-an-unknown-preset', async () => {
    await app.http.post('/api/v1/tunnel-presets').set(bearer(tech)).send({ name: 'Fiber 1500', underlayMtu: 1500, layers: ['ipv4', 'udp', 'wireguard'] }).expect(201);
    const again = await app.http.post('/api/v1/tunnel-presets').set(bearer(tech)).send({ name: 'Fiber 1500', underlayMtu: 1492, layers: [] });
    expect(again.status).toBe(409);
    const sub = await makeActiveSubscription(app, tech);
    expect((await putTunnel(sub, { preset: '00000000-0000-4000-8000-000000000000', carries: ['ipv4'] })).status).toBe(404);
  });

  it('a-preset-is-referenced-by-its-name-as-well-as-its-id', async () => {
    const created = await app.http.post('/api/v1/tunnel-presets').set(bearer(tech)).send({ name: 'fiber-pppoe', underlayMtu: 1492, layers: ['ipv6', 'udp', 'wireguard'] });
    expect(created.status).toBe(201);
    const sub = await makeActiveSubscription(app, tech);
    const set = await putTunnel(sub, { preset: 'fiber-pppoe', carries: ['ipv6'] });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ presetId: created.body.id, underlayMtu: 1492, innerMtu: 1412 });
    const byName = await app.http.get('/api/v1/tunnel-presets/fiber-pppoe').set(bearer(tech));
    expect(byName.body).toEqual(created.body);
    const byId = await app.http.get(`/api/v1/tunnel-presets/${created.body.id.toUpperCase()}`).set(bearer(tech));
    expect(byId.body).toEqual(created.body);
    // A name is matched as written: no other preset is taken for a near miss.
    expect((await putTunnel(sub, { preset: 'Fiber-PPPoE', carries: ['ipv6'] })).status).toBe(404);
    expect((await app.http.get('/api/v1/tunnel-presets/fiber%20pppoe').set(bearer(tech))).status).toBe(404);
  });

  it('a-name-with-spaces-is-found-through-its-percent-encoded-path', async () => {
    const created = await app.http.post('/api/v1/tunnel-presets').set(bearer(tech)).send({ name: 'Proximus VDSL / wholesale', underlayMtu: 1500, layers: [] });
    const got = await app.http.get(`/api/v1/tunnel-presets/${encodeURIComponent('Proximus VDSL / wholesale')}`).set(bearer(tech));
    expect(got.body.id).toBe(created.body.id);
  });

  it('a-preset-cannot-be-named-like-an-id-so-a-reference-has-one-meaning', async () => {
    const before = await countRows('tunnel_presets');
    const r = await app.http.post('/api/v1/tunnel-presets').set(bearer(tech)).send({ name: '7c1f6e52-3b1a-4c1e-9d1f-0a1b2c3d4e5f', underlayMtu: 1500, layers: [] });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(['name']);
    expect(await countRows('tunnel_presets')).toBe(before);
  });
});

describe('a subscription tunnel', () => {
  it('stores-the-computed-values-and-shows-them-back', async () => {
    const sub = await makeActiveSubscription(app, tech);
    expect((await app.http.get(`/api/v1/subscriptions/${sub}/tunnel`).set(bearer(tech))).status).toBe(404);
    const set = await putTunnel(sub, { underlayMtu: 1500, layers: ['ipv6', 'udp', 'wireguard'], carries: ['ipv4', 'ipv6'] });
    expect(set.status).toBe(200);
    const got = await app.http.get(`/api/v1/subscriptions/${sub}/tunnel`).set(bearer(tech));
    expect(got.body).toEqual(set.body);
    expect(got.body).toMatchObject({ presetId: null, innerMtu: 1420, overhead: 80, mssIpv4: 1380, mssIpv6: 1360, updatedAt: app.clock.now().toISOString() });
    const [row] = await app.sql(`SELECT inner_mtu, mss_ipv4, mss_ipv6 FROM subscription_tunnels WHERE subscription_id = $1`, [sub]);
    expect(row).toEqual({ inner_mtu: 1420, mss_ipv4: 1380, mss_ipv6: 1360 });
  });

  it('an-mtu-below-the-minimum-is-a-422-and-keeps-the-previous-settings', async () => {
    const sub = await makeActiveSubscription(app, tech);
    await putTunnel(sub, { underlayMtu: 1500, layers: ['ipv6', 'udp', 'wireguard'], carries: ['ipv6'] }).expect(200);
    const refused = await putTunnel(sub, { underlayMtu: 1300, layers: ['ipv6', 'udp', 'wireguard'], carries: ['ipv6'] });
    expect(refused.status).toBe(422);
    expect((await app.http.get(`/api/v1/subscriptions/${sub}/tunnel`).set(bearer(tech))).body.underlayMtu).toBe(1500);
  });

  it('an-ended-or-unknown-subscription-gets-no-tunnel', async () => {
    const sub = await makeActiveSubscription(app, tech);
    await app.http.post(`/api/v1/subscriptions/${sub}/end`).set(bearer(tech)).send({}).expect(200);
    const before = await countRows('subscription_tunnels');
    expect((await putTunnel(sub, { underlayMtu: 1500, layers: [], carries: ['ipv4'] })).status).toBe(409);
    expect((await putTunnel('00000000-0000-4000-8000-000000000000', { underlayMtu: 1500, layers: [], carries: ['ipv4'] })).status).toBe(404);
    expect(await countRows('subscription_tunnels')).toBe(before);
  });
});

describe('CPE configuration', () => {
  it('renders-a-wireguard-interface-with-mtu-and-an-nftables-mss-clamp', async () => {
    const sub = await makeActiveSubscription(app, tech);
    await assign(app, tech, sub, { poolId });
    await putTunnel(sub, { underlayMtu: 1500, layers: ['ipv6', 'udp', 'wireguard'], carries: ['ipv4', 'ipv6'] }).expect(200);
    const r = await config(sub, 'wireguard');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.text).toContain('[Interface]\n');
    expect(r.text).toContain('MTU = 1420\n');
    expect(r.text).toContain('meta nfproto ipv4 tcp flags syn tcp option maxseg size set 1380');
    expect(r.text).toContain('meta nfproto ipv6 tcp flags syn tcp option maxseg size set 1360');
    expect((await config(sub)).text).toBe(r.text);
  });

  it('renders-openvpn-options-with-tun-mtu-and-mssfix', async () => {
    const sub = await makeActiveSubscription(app, tech);
    await putTunnel(sub, { underlayMtu: 1492, layers: ['ipv4', 'udp', 'openvpn-aead'], carries: ['ipv4'] }).expect(200);
    await app.http.put(`/api/v1/subscriptions/${sub}/tunnel/peer`).set(bearer(tech)).send({ type: 'openvpn', csr: (await makeCsr()).csrPem }).expect(200);
    const r = await config(sub, 'openvpn');
    expect(r.status).toBe(200);
    expect(r.text).toContain('tun-mtu 1440\n');
    expect(r.text).toContain('mssfix 1440 fixed\n');
  });

  it('refuses-openvpn-options-for-a-wireguard-tunnel-and-the-reverse', async () => {
    const wg = await makeActiveSubscription(app, tech);
    await putTunnel(wg, { underlayMtu: 1500, layers: ['ipv6', 'udp', 'wireguard'], carries: ['ipv6'] }).expect(200);
    const wrong = await config(wg, 'openvpn');
    expect(wrong.status).toBe(409);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    const ovpn = await makeActiveSubscription(app, tech);
    await putTunnel(ovpn, { underlayMtu: 1500, layers: ['ipv4', 'udp', 'openvpn-aead'], carries: ['ipv4'] }).expect(200);
    expect((await config(ovpn, 'wireguard')).status).toBe(409);
    const gre = await makeActiveSubscription(app, tech);
    await putTunnel(gre, { underlayMtu: 1500, layers: ['ipv4', 'gre'], carries: ['ipv4'] }).expect(200);
    expect((await config(gre)).status).toBe(409);
    expect((await config(wg, 'ipsec')).status).toBe(400);
  });
});
