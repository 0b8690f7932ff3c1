import { computeTunnelMtu, LAYER_HEADERS, TunnelMtu, TunnelMtuOutcome, TUNNEL_LAYERS } from './mtu';

function accepted(outcome: TunnelMtuOutcome): TunnelMtu {
  if (!outcome.ok) throw new Error(`expected an inner MTU, got a refusal: ${outcome.reason}`);
  return outcome.result;
}

describe('layer table', () => {
  it('holds the byte counts of the API contract', () => {
    const bytes = Object.fromEntries(TUNNEL_LAYERS.map((layer) => [layer, LAYER_HEADERS[layer].bytes]));
    expect(bytes).toEqual({
      ipv4: 20,
      ipv6: 40,
      udp: 8,
      wireguard: 32,
      'openvpn-aead': 24,
      gre: 4,
      'gre-key': 8,
      vxlan: 8,
      ethernet: 14,
      vlan: 4,
      pppoe: 8,
      macsec: 32,
      l2tpv3: 12,
      mpls: 4,
    });
  });

  it('describes every layer', () => {
    for (const layer of TUNNEL_LAYERS) expect(LAYER_HEADERS[layer].description).not.toBe('');
  });
});

describe('computeTunnelMtu', () => {
  it('gives WireGuard its default 1420 over IPv6 on a 1500 path', () => {
    const result = accepted(
      computeTunnelMtu({ underlayMtu: 1500, layers: ['ipv6', 'udp', 'wireguard'], carries: ['ipv4', 'ipv6'] }),
    );
    expect(result).toEqual({
      innerMtu: 1420,
      overhead: 80,
      layers: [
        { name: 'ipv6', bytes: 40 },
        { name: 'udp', bytes: 8 },
        { name: 'wireguard', bytes: 32 },
      ],
      mssIpv4: 1380,
      mssIpv6: 1360,
      warnings: [],
    });
  });

  it('gives 1352 on a 1432 wholesale line', () => {
    const result = accepted(
      computeTunnelMtu({ underlayMtu: 1432, layers: ['ipv6', 'udp', 'wireguard'], carries: ['ipv4', 'ipv6'] }),
    );
    expect(result).toMatchObject({ innerMtu: 1352, overhead: 80, mssIpv4: 1312, mssIpv6: 1292 });
  });

  it('gives 1432 for WireGuard over IPv4 behind PPPoE', () => {
    const result = accepted(
      computeTunnelMtu({ underlayMtu: 1492, layers: ['ipv4', 'udp', 'wireguard'], carries: ['ipv4', 'ipv6'] }),
    );
    expect(result).toMatchObject({ innerMtu: 1432, overhead: 60, mssIpv4: 1392, mssIpv6: 1372, warnings: [] });
  });

  it('counts the PPPoE header when the underlay is the Ethernet payload', () => {
    const result = accepted(
      computeTunnelMtu({ underlayMtu: 1500, layers: ['pppoe', 'ipv4', 'udp', 'wireguard'], carries: ['ipv6'] }),
    );
    expect(result.innerMtu).toBe(1432);
  });

  it('gives 1448 for OpenVPN with an AEAD cipher over IPv4', () => {
    const result = accepted(
      computeTunnelMtu({ underlayMtu: 1500, layers: ['ipv4', 'udp', 'openvpn-aead'], carries: ['ipv4', 'ipv6'] }),
    );
    expect(result).toMatchObject({ innerMtu: 1448, overhead: 52, mssIpv4: 1408, mssIpv6: 1388, warnings: [] });
  });

  it('gives the familiar 1450 for VXLAN over IPv4', () => {
    const result = accepted(
      computeTunnelMtu({ underlayMtu: 1500, layers: ['ipv4', 'udp', 'vxlan', 'ethernet'], carries: ['ipv4'] }),
    );
    expect(result).toMatchObject({ innerMtu: 1450, overhead: 50, warnings: [] });
  });

  it('keeps the underlay MTU when there is no layer', () => {
    const result = accepted(computeTunnelMtu({ underlayMtu: 1500, layers: [], carries: ['ipv4'] }));
    expect(result).toMatchObject({ innerMtu: 1500, overhead: 0, layers: [], mssIpv4: 1460 });
  });

  it('refuses an inner MTU below 1280 when carrying IPv6', () => {
    const outcome = computeTunnelMtu({
      underlayMtu: 1300,
      layers: ['ipv6', 'udp', 'wireguard'],
      carries: ['ipv4', 'ipv6'],
    });
    expect(outcome).toEqual({
      ok: false,
      reason: 'inner MTU 1220 (underlay 1300 − overhead 80) is below the ipv6 minimum of 1280',
      innerMtu: 1220,
      minimum: 1280,
      family: 'ipv6',
    });
  });

  it('accepts exactly 1280 when carrying IPv6', () => {
    const result = accepted(
      computeTunnelMtu({ underlayMtu: 1360, layers: ['ipv6', 'udp', 'wireguard'], carries: ['ipv6'] }),
    );
    expect(result).toMatchObject({ innerMtu: 1280, mssIpv6: 1220 });
  });

  it('refuses an inner MTU below 576 when carrying IPv4', () => {
    const outcome = computeTunnelMtu({ underlayMtu: 600, layers: ['ipv4', 'udp', 'wireguard'], carries: ['ipv4'] });
    expect(outcome).toMatchObject({ ok: false, innerMtu: 540, minimum: 576, family: 'ipv4' });
  });

  it('accepts exactly 576 for IPv4 only, warning that IPv6 could never be added', () => {
    const result = accepted(
      computeTunnelMtu({ underlayMtu: 636, layers: ['ipv4', 'udp', 'wireguard'], carries: ['ipv4'] }),
    );
    expect(result.innerMtu).toBe(576);
    expect(result.warnings).toEqual([
      'inner MTU 576 is below 1280: IPv6 could never be added to this tunnel without a larger underlay MTU or fewer layers',
    ]);
  });

  it('reports the strictest unmet minimum when both families are below theirs', () => {
    const outcome = computeTunnelMtu({ underlayMtu: 600, layers: ['ipv6', 'udp', 'wireguard'], carries: ['ipv4', 'ipv6'] });
    expect(outcome).toMatchObject({ ok: false, innerMtu: 520, minimum: 1280, family: 'ipv6' });
  });

  it('refuses an overhead larger than the underlay', () => {
    const outcome = computeTunnelMtu({ underlayMtu: 68, layers: ['ipv6', 'udp', 'wireguard'], carries: ['ipv4'] });
    expect(outcome).toMatchObject({ ok: false, innerMtu: -12, family: 'ipv4' });
  });

  it('gives no IPv6 MSS when only IPv4 is carried', () => {
    const result = accepted(
      computeTunnelMtu({ underlayMtu: 1500, layers: ['ipv4', 'udp', 'wireguard'], carries: ['ipv4'] }),
    );
    expect(result.mssIpv4).toBe(1400);
    expect(result).not.toHaveProperty('mssIpv6');
  });

  it('gives no IPv4 MSS when only IPv6 is carried', () => {
    const result = accepted(
      computeTunnelMtu({ underlayMtu: 1500, layers: ['ipv6', 'udp', 'wireguard'], carries: ['ipv6'] }),
    );
    expect(result.mssIpv6).toBe(1360);
    expect(result).not.toHaveProperty('mssIpv4');
  });

  it('throws when no family is carried, which the request schema never lets through', () => {
    expect(() => computeTunnelMtu({ underlayMtu: 1500, layers: [], carries: [] })).toThrow(RangeError);
  });

  describe('warnings', () => {
    function warningsFor(layers: Parameters<typeof computeTunnelMtu>[0]['layers']): string[] {
      return accepted(computeTunnelMtu({ underlayMtu: 1500, layers, carries: ['ipv4', 'ipv6'] })).warnings;
    }

    it('flags udp that no IP header carries', () => {
      expect(warningsFor(['udp', 'wireguard'])).toEqual([
        'layer 1 (udp) is not directly after an IP layer (ipv4 or ipv6) that would carry it',
      ]);
    });

    it('flags wireguard and openvpn-aead without udp right before them', () => {
      expect(warningsFor(['ipv6', 'wireguard'])).toEqual(['layer 2 (wireguard) runs over UDP: expected udp directly before it']);
      expect(warningsFor(['ipv4', 'openvpn-aead', 'udp'])).toEqual([
        'layer 2 (openvpn-aead) runs over UDP: expected udp directly before it',
        'layer 3 (udp) is not directly after an IP layer (ipv4 or ipv6) that would carry it',
      ]);
    });

    it('flags vxlan without its inner Ethernet header', () => {
      expect(warningsFor(['ipv4', 'udp', 'vxlan'])).toEqual([
        'layer 3 (vxlan) carries Ethernet frames: expected ethernet directly after it',
      ]);
    });

    it("flags the carried packet's own IP header listed as a layer", () => {
      expect(warningsFor(['ipv6', 'udp', 'wireguard', 'ipv4'])).toEqual([
        "layer 4 (ipv4) follows wireguard, which carries IP packets directly: the carried packet's own header is part of the inner MTU, not of the overhead",
      ]);
    });

    it('accepts IP-in-IP and tunnels nested in WireGuard without comment', () => {
      expect(warningsFor(['ipv4'])).toEqual([]);
      expect(warningsFor(['ipv6', 'udp', 'wireguard', 'ipv4', 'udp', 'vxlan', 'ethernet'])).toEqual([]);
    });
  });
});
