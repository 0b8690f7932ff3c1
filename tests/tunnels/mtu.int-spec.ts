import { computeTunnelMtu } from '../../src/tunnels/mtu';
import { bearer, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;

beforeAll(async () => ({ app, tech } = await createTechnicianApp()));
afterAll(() => app.close());

const compute = (body: unknown) => app.http.post('/api/v1/mtu/compute').set(bearer(tech)).send(body as object);
const both = ['ipv4', 'ipv6'];

describe('POST /mtu/compute', () => {
  it.each([
    [1500, ['ipv6', 'udp', 'wireguard'], 1420, 80],
    [1432, ['ipv6', 'udp', 'wireguard'], 1352, 80],
    [1500, ['ipv4', 'udp', 'wireguard'], 1440, 60],
    [1492, ['ipv4', 'udp', 'openvpn-aead'], 1440, 52],
    [1500, ['ipv4', 'gre-key', 'ethernet', 'vlan'], 1454, 46],
    [1500, [], 1500, 0],
  ])('underlay %i over %j gives inner MTU %i (overhead %i)', async (underlayMtu, layers, innerMtu, overhead) => {
    const r = await compute({ underlayMtu, layers, carries: both });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ innerMtu, overhead, mssIpv4: innerMtu - 40, mssIpv6: innerMtu - 60 });
  });

  it('answers-what-the-mtu-arithmetic-computes-with-the-mss-of-carried-families-only', async () => {
    const request = { underlayMtu: 1500, layers: ['ipv6', 'udp', 'wireguard'] as const, carries: ['ipv6'] as const };
    const r = await compute(request);
    expect(r.body).toEqual((computeTunnelMtu(request) as { result: object }).result);
    expect(r.body.layers).toEqual([expect.objectContaining({ name: 'ipv6', bytes: 40 }), expect.anything(), expect.objectContaining({ name: 'wireguard', bytes: 32 })]);
    expect(r.body.mssIpv4).toBeUndefined();
  });

  it('refuses-with-422-an-inner-mtu-below-1280-when-ipv6-is-carried', async () => {
    const r = await compute({ underlayMtu: 1340, layers: ['ipv6', 'udp', 'wireguard'], carries: both });
    expect(r.status).toBe(422);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.body).toMatchObject({ innerMtu: 1260, minimum: 1280, family: 'ipv6' });
    expect(r.body.detail).toMatch(/below the ipv6 minimum of 1280/);
    const ipv4Only = await compute({ underlayMtu: 1340, layers: ['ipv6', 'udp', 'wireguard'], carries: ['ipv4'] });
    expect(ipv4Only.status).toBe(200);
    expect(ipv4Only.body.warnings[0]).toMatch(/below 1280/);
    const tooSmallForIpv4 = await compute({ underlayMtu: 600, layers: ['ipv4', 'udp', 'wireguard'], carries: ['ipv4'] });
    expect(tooSmallForIpv4.status).toBe(422);
    expect(tooSmallForIpv4.body).toMatchObject({ minimum: 576, family: 'ipv4' });
  });

  it.each([
    ['an unknown layer', { underlayMtu: 1500, layers: ['ipv6', 'tcp'], carries: both }, 'layers.1'],
    ['a non-integer MTU', { underlayMtu: 1500.5, layers: [], carries: both }, 'underlayMtu'],
    ['an MTU below 68', { underlayMtu: 67, layers: [], carries: both }, 'underlayMtu'],
    ['an MTU above 65535', { underlayMtu: 65536, layers: [], carries: both }, 'underlayMtu'],
    ['an MTU given as text', { underlayMtu: '1500', layers: [], carries: both }, 'underlayMtu'],
    ['no carried family', { underlayMtu: 1500, layers: [], carries: [] }, 'carries'],
    ['an unknown field', { underlayMtu: 1500, layers: [], carries: both, mtu: 1 }, ''],
  ])('answers-400-for-%s', async (_, body, path) => {
    const r = await compute(body);
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  });
});
