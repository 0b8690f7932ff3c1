import { renderOpenvpnFragment, renderWireguardFragment } from './cpe-config';

describe('renderWireguardFragment', () => {
  it('sets the MTU and clamps the MSS of both families in both directions', () => {
    const fragment = renderWireguardFragment({
      innerMtu: 1420,
      mssIpv4: 1380,
      mssIpv6: 1360,
      layers: ['ipv6', 'udp', 'wireguard'],
    });
    expect(fragment).toBe(
      [
        '[Interface]',
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
      ].join('\n'),
    );
  });

  it('clamps only the families carried', () => {
    const fragment = renderWireguardFragment({
      innerMtu: 1432,
      mssIpv4: 1392,
      mssIpv6: null,
      layers: ['ipv4', 'udp', 'wireguard'],
    });
    const lines = fragment.split('\n');
    expect(lines).toContain('MTU = 1432');
    expect(lines.filter((line) => line.includes('maxseg'))).toEqual([
      'PostUp = nft add rule inet lanterne_mss_%i forward oifname "%i" meta nfproto ipv4 tcp flags syn tcp option maxseg size set 1392',
      'PostUp = nft add rule inet lanterne_mss_%i forward iifname "%i" meta nfproto ipv4 tcp flags syn tcp option maxseg size set 1392',
    ]);
  });

  it('renders only the MTU when no MSS is stored', () => {
    expect(renderWireguardFragment({ innerMtu: 1500, layers: [] })).toBe(
      '[Interface]\n# Lanterne: tunnel MTU 1500, no encapsulation counted\nMTU = 1500\n',
    );
  });
});

describe('renderOpenvpnFragment', () => {
  it('sets the tun MTU and an mssfix giving exactly the stored MSS', () => {
    const fragment = renderOpenvpnFragment({
      innerMtu: 1448,
      mssIpv4: 1408,
      mssIpv6: 1388,
      layers: ['ipv4', 'udp', 'openvpn-aead'],
    });
    expect(fragment).toBe(
      [
        '# Lanterne: tunnel MTU 1448 = underlay MTU - 52 bytes (ipv4 20 + udp 8 + openvpn-aead 24)',
        'dev tun',
        'tun-mtu 1448',
        '# TCP MSS 1408 for IPv4 and 1388 for IPv6; "fixed" needs OpenVPN 2.6 or later',
        'mssfix 1448 fixed',
        '',
      ].join('\n'),
    );
  });
});
