import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { call, expectBadInput, expectForbidden, Method, outsiderTokens, withIds } from '../support/refusals';
import { associationEnvironment, makeWireguardKeys } from '../support/tunnel-association';
import { TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;
let outsiders: { ccj: string; member: string };
let subscriptionId: string;
let presetId: string;
const TABLES = ['tunnel_presets', 'subscription_tunnels', 'tunnel_peers'];
const KEY = makeWireguardKeys().publicKey;

beforeAll(async () => {
  ({ app, tech } = await createTechnicianApp((await associationEnvironment()).env));
  outsiders = await outsiderTokens(app, tech);
  subscriptionId = await makeActiveSubscription(app, tech);
  await assign(app, tech, subscriptionId, { poolId: (await makePool(app, tech, '192.0.2.0/24', 32)).id });
  presetId = (await call(app, tech, 'post', '/api/v1/tunnel-presets', { name: 'Fiber', underlayMtu: 1500, layers: ['ipv6', 'udp', 'wireguard'] })).body.id;
  await call(app, tech, 'put', `/api/v1/subscriptions/${subscriptionId}/tunnel`, { preset: presetId, carries: ['ipv6'] }).expect(200);
});
afterAll(() => app.close());

const fill = <T>(value: T): T => withIds(value, { subscription: subscriptionId, preset: presetId });

describe('bad input on every tunnel route: a 400 problem naming the field, and nothing written', () => {
  const cases: [Method, string, object | undefined, string][] = [
    ['post', '/api/v1/mtu/compute', { underlayMtu: 1500, layers: ['ipv6', 'quic'], carries: ['ipv6'] }, 'layers.1'],
    ['post', '/api/v1/tunnel-presets', { underlayMtu: 1500, layers: [] }, 'name'],
    ['post', '/api/v1/tunnel-presets', { name: 'x', underlayMtu: 0, layers: [] }, 'underlayMtu'],
    ['post', '/api/v1/tunnel-presets', { name: 'x', underlayMtu: 1500, layers: ['ipsec'] }, 'layers.0'],
    ['post', '/api/v1/tunnel-presets', { name: 'x', underlayMtu: 1500, layers: [], carries: ['ipv4'] }, ''],
    ['get', '/api/v1/tunnel-presets?limit=501', undefined, 'limit'],
    ['get', '/api/v1/tunnel-presets/Fiber%00', undefined, 'id'],
    ['get', `/api/v1/tunnel-presets/${'x'.repeat(101)}`, undefined, 'id'],
    ['put', '/api/v1/subscriptions/:subscription/tunnel', { carries: ['ipv4'] }, 'preset'],
    ['put', '/api/v1/subscriptions/:subscription/tunnel', { underlayMtu: 1500, carries: ['ipv4'] }, 'preset'],
    ['put', '/api/v1/subscriptions/:subscription/tunnel', { preset: ':preset', carries: [] }, 'carries'],
    ['put', '/api/v1/subscriptions/:subscription/tunnel', { preset: ' ', carries: ['ipv4'] }, 'preset'],
    ['put', '/api/v1/subscriptions/:subscription/tunnel', { preset: 42, carries: ['ipv4'] }, 'preset'],
    ['put', '/api/v1/subscriptions/:subscription/tunnel', { preset: ':preset', underlayMtu: 1e6, carries: ['ipv4'] }, 'underlayMtu'],
    ['put', '/api/v1/subscriptions/not-a-uuid/tunnel', { preset: ':preset', carries: ['ipv4'] }, 'id'],
    ['get', '/api/v1/subscriptions/not-a-uuid/tunnel', undefined, 'id'],
    ['get', '/api/v1/subscriptions/:subscription/tunnel/config?format=ipsec', undefined, 'format'],
    ['get', '/api/v1/subscriptions/:subscription/tunnel/config?format=wireguard&mtu=1', undefined, ''],
    ['put', '/api/v1/subscriptions/:subscription/tunnel/peer', { type: 'wireguard', publicKey: KEY.slice(4) }, 'publicKey'],
    ['put', '/api/v1/subscriptions/:subscription/tunnel/peer', { type: 'wireguard', publicKey: 42 }, 'publicKey'],
    ['put', '/api/v1/subscriptions/:subscription/tunnel/peer', { type: 'openvpn', csr: 'x'.repeat(16385) }, 'csr'],
    ['put', '/api/v1/subscriptions/:subscription/tunnel/peer', { type: 'openvpn', csr: 'bad\u0000' }, 'csr'],
    ['put', '/api/v1/subscriptions/:subscription/tunnel/peer', { publicKey: KEY }, 'type'],
    ['put', '/api/v1/subscriptions/not-a-uuid/tunnel/peer', { type: 'wireguard', publicKey: KEY }, 'id'],
    ['get', '/api/v1/subscriptions/not-a-uuid/tunnel/peer', undefined, 'id'],
    ['delete', '/api/v1/subscriptions/not-a-uuid/tunnel/peer', undefined, 'id'],
  ];
  it.each(cases)('%s %s %j → 400 on %p', (method, path, body, field) => expectBadInput(app, tech, TABLES, method, fill(path), fill(body), field));

  it('a-422-refusal-leaves-the-stored-tunnel-unchanged', async () => {
    const before = await app.sql(`SELECT * FROM subscription_tunnels WHERE subscription_id = $1`, [subscriptionId]);
    const r = await call(app, tech, 'put', `/api/v1/subscriptions/${subscriptionId}/tunnel`, { preset: presetId, underlayMtu: 1350, carries: ['ipv6'] });
    expect(r.status).toBe(422);
    expect(await app.sql(`SELECT * FROM subscription_tunnels WHERE subscription_id = $1`, [subscriptionId])).toEqual(before);
  });
});

describe('roles: ccj and members are refused every tunnel route', () => {
  const routes: [Method, string, object | undefined][] = [
    ['post', '/api/v1/mtu/compute', { underlayMtu: 1500, layers: [], carries: ['ipv4'] }],
    ['post', '/api/v1/tunnel-presets', { name: 'y', underlayMtu: 1500, layers: [] }],
    ['get', '/api/v1/tunnel-presets', undefined],
    ['get', '/api/v1/tunnel-presets/:preset', undefined],
    ['put', '/api/v1/subscriptions/:subscription/tunnel', { underlayMtu: 1400, layers: [], carries: ['ipv4'] }],
    ['get', '/api/v1/subscriptions/:subscription/tunnel', undefined],
    ['get', '/api/v1/subscriptions/:subscription/tunnel/config?format=wireguard', undefined],
    ['put', '/api/v1/subscriptions/:subscription/tunnel/peer', { type: 'wireguard', publicKey: KEY }],
    ['get', '/api/v1/subscriptions/:subscription/tunnel/peer', undefined],
    ['delete', '/api/v1/subscriptions/:subscription/tunnel/peer', undefined],
    ['get', '/api/v1/tunnels/router-export/wireguard', undefined],
    ['get', '/api/v1/tunnels/router-export/openvpn', undefined],
  ];
  for (const role of ['ccj', 'member'] as const) {
    it.each(routes)(`%s %s is 403 for ${role}`, (method, path, body) => expectForbidden(app, outsiders[role], TABLES, method, fill(path), fill(body)));
  }

  it('admins-may-use-them-too', async () => {
    expect((await call(app, app.adminToken, 'get', fill('/api/v1/subscriptions/:subscription/tunnel/config'))).status).toBe(200);
    expect((await call(app, app.adminToken, 'put', fill('/api/v1/subscriptions/:subscription/tunnel/peer'), { type: 'wireguard', publicKey: KEY })).status).toBe(200);
    expect((await call(app, app.adminToken, 'get', '/api/v1/tunnels/router-export/wireguard')).text).toContain(`PublicKey = ${KEY}`);
  });
});
