import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assign, makeActiveSubscription, makePool, PoolFixture } from '../factories/network.factory';
import { associationEnvironment, makeCsr } from '../support/tunnel-association';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

const run = promisify(execFile);
const PLACEHOLDER = 'REPLACE-WITH-THE-CPE-PRIVATE-KEY';

let app: TestApp;
let tech: string;
let server: { publicKey: string };
let v4: PoolFixture;
let v6: PoolFixture;
let dir: string;

beforeAll(async () => {
  // A remote nobody listens on, over TCP: openvpn fails at once when it gets as far as connecting.
  const association = await associationEnvironment({ LANTERNE_OPENVPN_REMOTE: '127.0.0.1 9 tcp' });
  server = association.server;
  ({ app, tech } = await createTechnicianApp(association.env));
  v4 = await makePool(app, tech, '192.0.2.0/24', 32);
  v6 = await makePool(app, tech, '2001:db8::/32', 56);
  dir = mkdtempSync(join(tmpdir(), 'lanterne-cpe-'));
});
afterAll(() => app.close());

const config = (sub: string, format: string) => app.http.get(`/api/v1/subscriptions/${sub}/tunnel/config`).query({ format }).set(bearer(tech));

/** A subscription with a tunnel of these layers, an IPv4 address and an IPv6 prefix. */
async function subscriptionWithTunnel(layers: string[]): Promise<{ sub: string; address: string; prefix: string }> {
  const sub = await makeActiveSubscription(app, tech);
  await app.http.put(`/api/v1/subscriptions/${sub}/tunnel`).set(bearer(tech)).send({ underlayMtu: 1500, layers, carries: ['ipv4', 'ipv6'] }).expect(200);
  const address = (await assign(app, tech, sub, { poolId: v4.id })).body.prefix;
  const prefix = (await assign(app, tech, sub, { poolId: v6.id })).body.prefix;
  return { sub, address, prefix };
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
}

/** Runs a program to its end, whatever its exit code. */
async function outcome(program: string, args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(program, args, { timeout: 20_000 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe('the WireGuard client configuration', () => {
  it('is-a-whole-wg-quick-file-that-wg-quick-strip-accepts', async () => {
    const { sub, address, prefix } = await subscriptionWithTunnel(['ipv6', 'udp', 'wireguard']);
    const { stdout: privateKey } = await run('wg', ['genkey']);
    const publicKey = (await run('bash', ['-c', 'wg pubkey <<< "$0"', privateKey.trim()])).stdout.trim();
    // The key as wg itself prints it is what the registration takes.
    await app.http.put(`/api/v1/subscriptions/${sub}/tunnel/peer`).set(bearer(tech)).send({ type: 'wireguard', publicKey }).expect(200);

    const r = await config(sub, 'wireguard');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(address).toBe('192.0.2.1/32');
    expect(prefix).toBe('2001:db8::/56');
    expect(r.text).toContain('\nAddress = 192.0.2.1/32, 2001:db8::1/128\n');
    expect(r.text).toContain(`\nPrivateKey = ${PLACEHOLDER}\n`);
    // Once only, so that a search-and-replace on the CPE puts the key where it belongs.
    expect(r.text.split(PLACEHOLDER)).toHaveLength(2);
    expect(r.text).toContain(`registered for this subscription: ${publicKey}\n`);

    const stripped = await outcome('wg-quick', ['strip', file('lnt0.conf', r.text)]);
    expect(stripped).toEqual({ code: 0, output: expect.any(String) });
    // What wg(8) is given: the wg-quick keys (Address, MTU, the clamp) taken out, the rest kept.
    expect(stripped.output.replace(/^#.*\n/gm, '').trim()).toBe(
      [
        '[Interface]',
        `PrivateKey = ${PLACEHOLDER}`,
        '',
        '[Peer]',
        `PublicKey = ${server.publicKey}`,
        'Endpoint = vpn.example.org:51820',
        'AllowedIPs = 0.0.0.0/0, ::/0',
        'PersistentKeepalive = 25',
      ].join('\n'),
    );
  });

  it('keeps-the-mtu-and-the-mss-clamp-of-the-tunnel-settings', async () => {
    const { sub } = await subscriptionWithTunnel(['ipv6', 'udp', 'wireguard']);
    const r = await config(sub, 'wireguard');
    expect(r.text).toContain('\nMTU = 1420\n');
    expect(r.text).toContain('meta nfproto ipv4 tcp flags syn tcp option maxseg size set 1380');
    expect(r.text).toContain('meta nfproto ipv6 tcp flags syn tcp option maxseg size set 1360');
    expect(r.text).toContain('# Then register its public key');
  });

  it('is-refused-while-the-subscription-holds-no-address', async () => {
    const sub = await makeActiveSubscription(app, tech);
    await app.http.put(`/api/v1/subscriptions/${sub}/tunnel`).set(bearer(tech)).send({ underlayMtu: 1500, layers: ['ipv4', 'udp', 'wireguard'], carries: ['ipv4'] }).expect(200);
    const r = await config(sub, 'wireguard');
    expect(r.status).toBe(409);
    expect(r.body.type).toContain('tunnel-no-address');
  });
});

describe('the OpenVPN client profile', () => {
  it('is-a-profile-that-openvpn-parses-needing-only-the-member-key', async () => {
    const { sub } = await subscriptionWithTunnel(['ipv4', 'udp', 'openvpn-aead']);
    expect((await config(sub, 'openvpn')).status).toBe(409);
    const { csrPem, privateKeyPem } = await makeCsr();
    await app.http.put(`/api/v1/subscriptions/${sub}/tunnel/peer`).set(bearer(tech)).send({ type: 'openvpn', csr: csrPem }).expect(200);

    const r = await config(sub, 'openvpn');
    expect(r.status).toBe(200);
    expect(r.text).toContain('\ntun-mtu 1448\n');
    expect(r.text).toContain('\nmssfix 1448 fixed\n');
    expect(r.text).toContain('\nproto tcp\nremote 127.0.0.1 9\n');
    expect(r.text.split(PLACEHOLDER)).toHaveLength(2);

    // As rendered: every option is accepted, and openvpn stops at the placeholder, before any network.
    const asRendered = await outcome('openvpn', ['--config', file('as-rendered.ovpn', r.text)]);
    expect(asRendered.code).toBe(1);
    expect(asRendered.output).not.toContain('Options error');
    expect(asRendered.output).toContain('Cannot load private key');
    expect(asRendered.output).not.toContain('Attempting to establish');

    // With the member's key in place, the CA, the signed certificate and the key load together and
    // openvpn goes on to connect (to a port where nothing listens, so it gives up at once).
    const withKey = await outcome('openvpn', ['--config', file('with-key.ovpn', r.text.replace(PLACEHOLDER, privateKeyPem.trim())), '--connect-retry-max', '1']);
    expect(withKey.output).not.toContain('Options error');
    expect(withKey.output).not.toMatch(/Cannot load|does not match/);
    expect(withKey.output).toContain('Attempting to establish TCP connection with [AF_INET]127.0.0.1:9');
  });
});

describe('an instance without the association side of its tunnels', () => {
  let bare: TestApp;
  let bareTech: string;
  beforeAll(async () => {
    bare = await createTestApp();
    bareTech = await bare.tokenFor('technician');
  });
  afterAll(() => bare.close());

  it('answers-a-409-naming-what-it-lacks-instead-of-a-broken-file', async () => {
    const sub = await makeActiveSubscription(bare, bareTech);
    await bare.http.put(`/api/v1/subscriptions/${sub}/tunnel`).set(bearer(bareTech)).send({ underlayMtu: 1500, layers: ['ipv4', 'udp', 'wireguard'], carries: ['ipv4'] }).expect(200);
    const wg = await bare.http.get(`/api/v1/subscriptions/${sub}/tunnel/config`).set(bearer(bareTech));
    expect(wg.status).toBe(409);
    expect(wg.body).toMatchObject({ missing: ['LANTERNE_WIREGUARD_ENDPOINT', 'LANTERNE_WIREGUARD_PUBLIC_KEY'] });
    expect(wg.body.detail).toContain('LANTERNE_WIREGUARD_ENDPOINT');

    const ovpn = await makeActiveSubscription(bare, bareTech);
    await bare.http.put(`/api/v1/subscriptions/${ovpn}/tunnel`).set(bearer(bareTech)).send({ underlayMtu: 1500, layers: ['ipv4', 'udp', 'openvpn-aead'], carries: ['ipv4'] }).expect(200);
    const profile = await bare.http.get(`/api/v1/subscriptions/${ovpn}/tunnel/config`).set(bearer(bareTech));
    expect(profile.status).toBe(409);
    expect(profile.body.missing).toEqual(['LANTERNE_OPENVPN_REMOTE', 'LANTERNE_OPENVPN_CA_CERT', 'LANTERNE_OPENVPN_CA_KEY']);

    const { csrPem } = await makeCsr();
    const signing = await bare.http.put(`/api/v1/subscriptions/${ovpn}/tunnel/peer`).set(bearer(bareTech)).send({ type: 'openvpn', csr: csrPem });
    expect(signing.status).toBe(409);
    expect(signing.body.detail).toContain('LANTERNE_OPENVPN_CA_CERT');
    expect(await bare.sql(`SELECT * FROM tunnel_peers`)).toEqual([]);
  });
});
