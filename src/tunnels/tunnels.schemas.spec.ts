import { z } from 'zod';
import { MtuComputeSchema } from './tunnels.schemas';

describe('MtuComputeSchema', () => {
  const valid = { underlayMtu: 1500, layers: ['ipv6', 'udp', 'wireguard'], carries: ['ipv4', 'ipv6'] };

  it('accepts a request of the contract', () => {
    expect(MtuComputeSchema.parse(valid)).toEqual(valid);
  });

  it('accepts an empty layer list', () => {
    expect(MtuComputeSchema.safeParse({ ...valid, layers: [] }).success).toBe(true);
  });

  it.each([
    ['an unknown layer', { ...valid, layers: ['ipv6', 'tcp'] }, ['layers', 1]],
    ['a non-integer MTU', { ...valid, underlayMtu: 1500.5 }, ['underlayMtu']],
    ['an MTU below 68', { ...valid, underlayMtu: 67 }, ['underlayMtu']],
    ['an MTU above 65535', { ...valid, underlayMtu: 65536 }, ['underlayMtu']],
    ['an MTU given as a string', { ...valid, underlayMtu: '1500' }, ['underlayMtu']],
    ['no carried family', { ...valid, carries: [] }, ['carries']],
    ['a family listed twice', { ...valid, carries: ['ipv6', 'ipv6'] }, ['carries']],
    ['an unknown family', { ...valid, carries: ['ipx'] }, ['carries', 0]],
  ])('rejects %s', (_, body, path) => {
    const parsed = MtuComputeSchema.safeParse(body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path)).toEqual([path]);
  });

  it('documents its fields for OpenAPI', () => {
    const schema = z.toJSONSchema(MtuComputeSchema) as {
      properties: Record<string, { description?: string; items?: { description?: string } }>;
    };
    expect(schema.properties.underlayMtu.description).toContain('1492 behind PPPoE');
    expect(schema.properties.layers.items?.description).toContain('wireguard 32');
    expect(schema.properties.carries.description).toContain('IPv6 1280');
  });
});
