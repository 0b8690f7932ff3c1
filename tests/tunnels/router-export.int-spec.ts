import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assign, makeActiveSubscription, makePool, PoolFixture } from '../factories/network.factory';
import { runCli } from '../support/run-cli';
import { associationEnvironment, makeCsr, makeWireguardKeys } from '../support/tunnel-association';
import { bearer, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;
let v4: PoolFixture;
let v6: PoolFixture;

beforeAll(async () => {
  ({ app, tech } = await createTechnicianApp((await associationEnvironment()).env));
  v4 = await makePool(app, tech, '198.51.100.0/24', 32);
  v6 = await makePool(app, tech, '2001:db8::/32', 48);
});
afterAll(() => app.close());

const wireguardExport = async () => (await app.http.get('/api/v1/tunnels/router-export/wireguard').set(bearer(tech)).expect(200)).text;
const openvpnExport = async () => (await app.http.get('/api/v1/tunnels/router-export/openvpn').set(bearer(tech)).expect(200)).body.files as { name: string; content: string }[];
const release = (id: string) => app.http.post(`/api/v1/ip-assignments/${id}/release`).set(bearer(tech)).send({}).expect(200);
const registerPeer = (sub: string, body: object) => app.http.put(`/api/v1/subscriptions/${sub}/tunnel/peer`).set(bearer(tech)).send(body).expect(200);

/** The [Peer] section of one key in a WireGuard export, or undefined. */
const sectionOf = (text: string, publicKey: string) => text.split('\n\n').map((section) => section.trim()).find((section) => section.includes(`PublicKey = ${publicKey}\n`));

describe('the WireGuard export', () => {
  it('follows-an-allocation-and-a-release', async () => {
    const sub = await makeActiveSubscription(app, tech);
    const { publicKey } = makeWireguardKeys();
    await registerPeer(sub, { type: 'wireguard', publicKey });
    // A key without a block routes nothing: no peer yet.
    expect(sectionOf(await wireguardExport(), publicKey)).toBeUndefined();

    const address = (await assign(app, tech, sub, { poolId: v4.id })).body;
    const prefix = (await assign(app, tech, sub, { poolId: v6.id })).body;
    expect(sectionOf(await wireguardExport(), publicKey)).toBe(`# subscription ${sub}\n[Peer]\nPublicKey = ${publicKey}\nAllowedIPs = ${address.prefix}, ${prefix.prefix}`);

    await release(address.id);
    expect(sectionOf(await wireguardExport(), publicKey)).toBe(`# subscription ${sub}\n[Peer]\nPublicKey = ${publicKey}\nAllowedIPs = ${prefix.prefix}`);
    await release(prefix.id);
    expect(sectionOf(await wireguardExport(), publicKey)).toBeUndefined();
  });

  it('is-a-peer-list-that-wg-quick-strip-accepts-behind-the-server-interface', async () => {
    const sub = await makeActiveSubscription(app, tech);
    await registerPeer(sub, { type: 'wireguard', publicKey: makeWireguardKeys().publicKey });
    await assign(app, tech, sub, { poolId: v4.id });
    const dir = mkdtempSync(join(tmpdir(), 'lanterne-wg-server-'));
    const path = join(dir, 'wg0.conf');
    writeFileSync(path, `[Interface]\nPrivateKey = ${makeWireguardKeys().privateKey}\nListenPort = 51820\n\n${await wireguardExport()}`, { mode: 0o600 });
    const { stdout } = await promisify(execFile)('wg-quick', ['strip', path]);
    expect(stdout).toContain('[Peer]');
  });

  it('drops-the-peer-of-an-ended-subscription-and-a-removed-peer', async () => {
    const ended = await makeActiveSubscription(app, tech);
    const endedKey = makeWireguardKeys().publicKey;
    await registerPeer(ended, { type: 'wireguard', publicKey: endedKey });
    await assign(app, tech, ended, { poolId: v4.id });
    const removed = await makeActiveSubscription(app, tech);
    const removedKey = makeWireguardKeys().publicKey;
    await registerPeer(removed, { type: 'wireguard', publicKey: removedKey });
    await assign(app, tech, removed, { poolId: v4.id });
    expect(sectionOf(await wireguardExport(), endedKey)).toBeDefined();

    await app.http.post(`/api/v1/subscriptions/${ended}/end`).set(bearer(tech)).send({}).expect(200);
    await app.http.delete(`/api/v1/subscriptions/${removed}/tunnel/peer`).set(bearer(tech)).expect(204);
    const text = await wireguardExport();
    expect(sectionOf(text, endedKey)).toBeUndefined();
    expect(sectionOf(text, removedKey)).toBeUndefined();
  });
});

describe('the OpenVPN export', () => {
  it('writes-ifconfig-push-with-the-pool-netmask-and-iroutes-and-follows-a-release', async () => {
    const sub = await makeActiveSubscription(app, tech);
    await registerPeer(sub, { type: 'openvpn', csr: (await makeCsr()).csrPem });
    const address = (await assign(app, tech, sub, { poolId: v4.id })).body;
    const prefix = (await assign(app, tech, sub, { poolId: v6.id })).body;
    expect((await openvpnExport()).find((file) => file.name === sub)).toEqual({
      name: sub,
      content: `# Lanterne: subscription ${sub}\nifconfig-push ${address.prefix.split('/')[0]} 255.255.255.0\niroute-ipv6 ${prefix.prefix}\n`,
    });
    await release(address.id);
    expect((await openvpnExport()).find((file) => file.name === sub)?.content).toBe(`# Lanterne: subscription ${sub}\niroute-ipv6 ${prefix.prefix}\n`);
  });
});

describe('lanterne export-router', () => {
  it('writes-the-wireguard-peers-file-and-the-openvpn-client-config-dir-and-removes-a-file-whose-blocks-were-released', async () => {
    const wg = await makeActiveSubscription(app, tech);
    const { publicKey } = makeWireguardKeys();
    await registerPeer(wg, { type: 'wireguard', publicKey });
    const wgAddress = (await assign(app, tech, wg, { poolId: v4.id })).body;
    const ovpn = await makeActiveSubscription(app, tech);
    await registerPeer(ovpn, { type: 'openvpn', csr: (await makeCsr()).csrPem });
    const ovpnAddress = (await assign(app, tech, ovpn, { poolId: v4.id })).body;

    const wgDir = mkdtempSync(join(tmpdir(), 'lanterne-export-wg-'));
    const written = await runCli(['export-router', '--format', 'wireguard', '--out', wgDir], app.env);
    expect(written.stderr).toBe('');
    expect(written.code).toBe(0);
    const peers = readFileSync(join(wgDir, 'lanterne-peers.conf'), 'utf8');
    expect(peers).toBe(await wireguardExport());
    expect(sectionOf(peers, publicKey)).toContain(`AllowedIPs = ${wgAddress.prefix}`);
    // Written aside then renamed: nothing half-written is left behind.
    expect(readdirSync(wgDir)).toEqual(['lanterne-peers.conf']);

    const ccd = mkdtempSync(join(tmpdir(), 'lanterne-export-ccd-'));
    writeFileSync(join(ccd, 'README'), 'not a client of Lanterne');
    expect((await runCli(['export-router', '--format', 'openvpn', '--out', ccd], app.env)).code).toBe(0);
    expect(readFileSync(join(ccd, ovpn), 'utf8')).toContain(`ifconfig-push ${ovpnAddress.prefix.split('/')[0]} 255.255.255.0\n`);

    await release(ovpnAddress.id);
    const again = await runCli(['export-router', '--format', 'openvpn', '--out', ccd], app.env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/removed 1/);
    expect(existsSync(join(ccd, ovpn))).toBe(false);
    expect(existsSync(join(ccd, 'README'))).toBe(true);
  });

  it('refuses-an-unknown-format', async () => {
    const result = await runCli(['export-router', '--format', 'ipsec', '--out', tmpdir()], app.env);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('ipsec');
  });
});
