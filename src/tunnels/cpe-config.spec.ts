import { PRIVATE_KEY_PLACEHOLDER, renderOpenvpnClient, renderWireguardClient, WireguardClient } from './cpe-config';

const SUBSCRIPTION = '7c1f6e52-3b1a-4c1e-9d1f-0a1b2c3d4e5f';
const SERVER_KEY = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
const CPE_KEY = 'HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=';

const wireguard = (overrides: Partial<WireguardClient> = {}): string =>
  renderWireguardClient({
    subscriptionId: SUBSCRIPTION,
    settings: { innerMtu: 1420, mssIpv4: 1380, mssIpv6: 1360, layers: ['ipv6', 'udp', 'wireguard'] },
    addresses: ['192.0.2.10/32', '2001:db8:1::1/128'],
    server: { endpoint: 'vpn.example.org:51820', publicKey: SERVER_KEY },
    registeredKey: CPE_KEY,
    ...overrides,
  });

describe('renderWireguardClient', () => {
  it('renders a whole wg-quick file: address, MTU, MSS clamp of both families in both directions, and the server', () => {
    expect(wireguard()).toBe(
      [
        `# Lanterne: WireGuard client configuration of subscription ${SUBSCRIPTION}`,
        '[Interface]',
        '# Make the private key on the CPE (wg genkey > private.key) and put it in place of the placeholder on the PrivateKey line.',
        `# Its public key must be the one registered for this subscription: ${CPE_KEY}`,
        `PrivateKey = ${PRIVATE_KEY_PLACEHOLDER}`,
        'Address = 192.0.2.10/32, 2001:db8:1::1/128',
        '# Lanterne: tunnel MTU 1420 = underlay MTU - 80 bytes (ipv6 40 + udp 8 + wireguard 32)',
        'MTU = 1420',
        '# TCP MSS clamp for connections forwarded through the tunnel (nftables)',
        'PostUp = nft add table inet lanterne_mss_%i',
        "PostUp = nft add chain inet lanterne_mss_%i forward '{ type filter hook forward priority mangle; }'",
        'PostUp = nft add rule inet lanterne_mss_%i forward oifname "%i" meta nfproto ipv4 tcp flags syn tcp option maxseg size set 1380',
        'PostUp = nft add rule inet lanterne_mss_%i forward iifname "%i" meta nfproto ipv4 tcp flags syn tcp option maxseg size set 1380',
        'PostUp = nft add rule inet lanterne_mss_%i forward oifname "%i" meta nfproto ipv6 tcp flags syn tcp option maxseg size set 1360',
        'PostUp = nft add rule inet lanterne_mss_%i forward iifname "%i" meta nfproto ipv6 tcp flags syn tcp option maxseg size set 1360',
        'PostDown = nft delete table inet lanterne_mss_%i',
        '',
        '[Peer]',
        "# The association's server",
        `PublicKey = ${SERVER_KEY}`,
        'Endpoint = vpn.example.org:51820',
        'AllowedIPs = 0.0.0.0/0, ::/0',
        'PersistentKeepalive = 25',
        '',
      ].join('\n'),
    );
  });

  it('clamps only the families carried', () => {
    const lines = wireguard({ settings: { innerMtu: 1432, mssIpv4: 1392, mssIpv6: null, layers: ['ipv4', 'udp', 'wireguard'] } }).split('\n');
    expect(lines).toContain('MTU = 1432');
    expect(lines.filter((line) => line.includes('maxseg'))).toEqual([
      'PostUp = nft add rule inet lanterne_mss_%i forward oifname "%i" meta nfproto ipv4 tcp flags syn tcp option maxseg size set 1392',
      'PostUp = nft add rule inet lanterne_mss_%i forward iifname "%i" meta nfproto ipv4 tcp flags syn tcp option maxseg size set 1392',
    ]);
  });

  it('renders only the MTU when no MSS is stored', () => {
    const text = wireguard({ settings: { innerMtu: 1500, layers: [] } });
    expect(text).toContain('# Lanterne: tunnel MTU 1500, no encapsulation counted\nMTU = 1500\n\n[Peer]');
    expect(text).not.toContain('PostUp');
  });

  it('tells the member to register the public key when none is registered yet', () => {
    expect(wireguard({ registeredKey: null })).toContain('# Then register its public key (wg pubkey < private.key) for this subscription');
  });
});

describe('renderOpenvpnClient', () => {
  it('renders a client profile with the remote, tun MTU, an mssfix giving exactly the stored MSS, and the certificates inline', () => {
    const profile = renderOpenvpnClient({
      subscriptionId: SUBSCRIPTION,
      settings: { innerMtu: 1448, mssIpv4: 1408, mssIpv6: 1388, layers: ['ipv4', 'udp', 'openvpn-aead'] },
      remote: { host: 'vpn.example.org', port: 1194, proto: 'udp' },
      caCertificate: '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n',
      certificate: '-----BEGIN CERTIFICATE-----\nCPE\n-----END CERTIFICATE-----\n',
    });
    expect(profile).toBe(
      [
        `# Lanterne: OpenVPN client profile of subscription ${SUBSCRIPTION}`,
        '# Paste the private key of the certificate request (made on the CPE) in the <key> block below, in place of the placeholder.',
        'client',
        'dev tun',
        'proto udp',
        'remote vpn.example.org 1194',
        'nobind',
        'persist-key',
        'persist-tun',
        'remote-cert-tls server',
        '# Lanterne: tunnel MTU 1448 = underlay MTU - 52 bytes (ipv4 20 + udp 8 + openvpn-aead 24)',
        'tun-mtu 1448',
        '# TCP MSS 1408 for IPv4 and 1388 for IPv6; "fixed" needs OpenVPN 2.6 or later',
        'mssfix 1448 fixed',
        'verb 3',
        '<ca>',
        '-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----',
        '</ca>',
        '<cert>',
        '-----BEGIN CERTIFICATE-----\nCPE\n-----END CERTIFICATE-----',
        '</cert>',
        '<key>',
        PRIVATE_KEY_PLACEHOLDER,
        '</key>',
        '',
      ].join('\n'),
    );
  });
});
