import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { associationEnvironment, makeCsr, makeServerCertificate } from '../support/tunnel-association';
import { bearer, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

/**
 * The profile and the client-config-dir file that Lanterne renders, given to a real OpenVPN server
 * and client: the client authenticates with the certificate Lanterne signed, the server reads the
 * file named by its CN, pushes its address and learns its routes. Both run in a network namespace
 * of their own (unshare -n), so their tun devices touch nothing outside the test.
 */
let app: TestApp;
let tech: string;
let ca: { certificatePem: string; keyPem: string };

beforeAll(async () => {
  const association = await associationEnvironment({ LANTERNE_OPENVPN_REMOTE: '127.0.0.1 1194 udp' });
  ca = association.ca;
  ({ app, tech } = await createTechnicianApp(association.env));
});
afterAll(() => app.close());

const inline = (tag: string, pem: string) => `<${tag}>\n${pem.trim()}\n</${tag}>`;

/** Starts the server, then the client, in a fresh network namespace; stops both once the client is up (or after 15 s). */
const SESSION = `
ip link set lo up
openvpn --config server.conf --log server.log &
server=$!
for _ in $(seq 100); do grep -q "Initialization Sequence Completed" server.log 2>/dev/null && break; sleep 0.1; done
openvpn --config client.ovpn --ifconfig-noexec --route-noexec --log client.log &
client=$!
for _ in $(seq 150); do grep -q "Initialization Sequence Completed" client.log 2>/dev/null && break; sleep 0.1; done
kill $client $server
wait
`;

describe('an OpenVPN tunnel from what Lanterne renders', () => {
  it('connects-with-the-signed-certificate-and-the-server-applies-the-client-config-dir-file', async () => {
    const sub = await makeActiveSubscription(app, tech);
    await app.http.put(`/api/v1/subscriptions/${sub}/tunnel`).set(bearer(tech)).send({ underlayMtu: 1500, layers: ['ipv4', 'udp', 'openvpn-aead'], carries: ['ipv4', 'ipv6'] }).expect(200);
    const address = (await assign(app, tech, sub, { poolId: (await makePool(app, tech, '198.51.100.0/24', 32)).id })).body.prefix.split('/')[0];
    const routed = (await assign(app, tech, sub, { poolId: (await makePool(app, tech, '203.0.113.0/24', 29)).id })).body.prefix;
    const prefix = (await assign(app, tech, sub, { poolId: (await makePool(app, tech, '2001:db8::/32', 56)).id })).body.prefix;
    const { csrPem, privateKeyPem } = await makeCsr();
    await app.http.put(`/api/v1/subscriptions/${sub}/tunnel/peer`).set(bearer(tech)).send({ type: 'openvpn', csr: csrPem }).expect(200);
    const profile = (await app.http.get(`/api/v1/subscriptions/${sub}/tunnel/config`).query({ format: 'openvpn' }).set(bearer(tech)).expect(200)).text;
    const files = (await app.http.get('/api/v1/tunnels/router-export/openvpn').set(bearer(tech)).expect(200)).body.files as { name: string; content: string }[];

    const dir = mkdtempSync(join(tmpdir(), 'lanterne-openvpn-'));
    mkdirSync(join(dir, 'ccd'));
    for (const file of files) writeFileSync(join(dir, 'ccd', file.name), file.content);
    writeFileSync(join(dir, 'client.ovpn'), profile.replace('<key>\nREPLACE-WITH-THE-CPE-PRIVATE-KEY\n</key>', inline('key', privateKeyPem)), { mode: 0o600 });
    const server = await makeServerCertificate(ca);
    writeFileSync(
      join(dir, 'server.conf'),
      [
        'mode server',
        'tls-server',
        'proto udp',
        'local 127.0.0.1',
        'port 1194',
        'dev tun',
        'topology subnet',
        // The server's own address on the pool the CPE's address comes from, as ifconfig-push expects.
        'ifconfig 198.51.100.254 255.255.255.0',
        'ifconfig-ipv6 2001:db8:ffff::1/64 2001:db8:ffff::2',
        'ifconfig-noexec',
        'route-noexec',
        'tun-mtu 1448',
        `client-config-dir ${join(dir, 'ccd')}`,
        // Only clients with a file of their own: proves the file is found under the certificate's CN.
        'ccd-exclusive',
        'remote-cert-tls client',
        'dh none',
        'verb 4',
        inline('ca', ca.certificatePem),
        inline('cert', server.certificatePem),
        inline('key', server.keyPem),
        '',
      ].join('\n'),
      { mode: 0o600 },
    );

    await promisify(execFile)('unshare', ['-n', 'bash', '-c', SESSION], { cwd: dir, timeout: 40_000 });
    const clientLog = readFileSync(join(dir, 'client.log'), 'utf8');
    const serverLog = readFileSync(join(dir, 'server.log'), 'utf8');
    expect(clientLog).not.toContain('Options error');
    expect(serverLog).not.toContain('Options error');
    expect(clientLog).toContain(`PUSH_REPLY,ifconfig ${address} 255.255.255.0`);
    expect(clientLog).toContain('Initialization Sequence Completed');
    expect(serverLog).toContain(`OPTIONS IMPORT: reading client specific options from: ${join(dir, 'ccd', sub)}`);
    expect(serverLog).toContain(`MULTI: internal route ${routed} `);
    expect(serverLog).toContain(`MULTI: internal route ${prefix} `);
  });
});
