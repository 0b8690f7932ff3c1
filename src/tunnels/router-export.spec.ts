import { renderOpenvpnClientConfigs, renderWireguardPeers } from './router-export';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const KEY_A = 'HIgo9xNzJMWLKASShiTqIybxZ0U3wGLiUeJ1PKf8ykw=';
const KEY_B = 'xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=';
const V4_POOL = '192.0.2.0/24';
const V6_POOL = '2001:db8::/32';

describe('renderWireguardPeers', () => {
  it('lists every block a subscription holds in its AllowedIPs', () => {
    const text = renderWireguardPeers([
      { subscriptionId: A, publicKey: KEY_A, blocks: [{ prefix: '192.0.2.10/32', poolPrefix: V4_POOL }, { prefix: '2001:db8:1::/56', poolPrefix: V6_POOL }] },
      { subscriptionId: B, publicKey: KEY_B, blocks: [{ prefix: '192.0.2.16/29', poolPrefix: V4_POOL }] },
    ]);
    expect(text).toBe(
      [
        '# Lanterne: WireGuard peers of every subscription with a registered key and a block it holds now',
        '',
        `# subscription ${A}`,
        '[Peer]',
        `PublicKey = ${KEY_A}`,
        'AllowedIPs = 192.0.2.10/32, 2001:db8:1::/56',
        '',
        `# subscription ${B}`,
        '[Peer]',
        `PublicKey = ${KEY_B}`,
        'AllowedIPs = 192.0.2.16/29',
        '',
      ].join('\n'),
    );
  });

  it('leaves out a peer holding nothing: the server would route nothing to it', () => {
    expect(renderWireguardPeers([{ subscriptionId: A, publicKey: KEY_A, blocks: [] }])).not.toContain('[Peer]');
  });
});

describe('renderOpenvpnClientConfigs', () => {
  it('pushes the first IPv4 address with its pool netmask and routes the other blocks to the client', () => {
    expect(
      renderOpenvpnClientConfigs([
        {
          commonName: A,
          blocks: [
            { prefix: '192.0.2.10/32', poolPrefix: V4_POOL },
            { prefix: '192.0.2.16/29', poolPrefix: V4_POOL },
            { prefix: '2001:db8:1::/56', poolPrefix: V6_POOL },
          ],
        },
      ]),
    ).toEqual([
      {
        name: A,
        content: [`# Lanterne: subscription ${A}`, 'ifconfig-push 192.0.2.10 255.255.255.0', 'iroute 192.0.2.16 255.255.255.248', 'iroute-ipv6 2001:db8:1::/56', ''].join('\n'),
      },
    ]);
  });

  it('routes a pushed block larger than one address to the client as well', () => {
    const [file] = renderOpenvpnClientConfigs([{ commonName: B, blocks: [{ prefix: '198.51.100.8/29', poolPrefix: '198.51.100.0/26' }] }]);
    expect(file.content).toBe([`# Lanterne: subscription ${B}`, 'ifconfig-push 198.51.100.8 255.255.255.192', 'iroute 198.51.100.8 255.255.255.248', ''].join('\n'));
  });

  it('has no ifconfig-push for an IPv6-only client, and no file for a client holding nothing', () => {
    const files = renderOpenvpnClientConfigs([
      { commonName: A, blocks: [{ prefix: '2001:db8:1::/56', poolPrefix: V6_POOL }] },
      { commonName: B, blocks: [] },
    ]);
    expect(files).toEqual([{ name: A, content: `# Lanterne: subscription ${A}\niroute-ipv6 2001:db8:1::/56\n` }]);
  });
});
