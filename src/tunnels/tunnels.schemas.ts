import { z } from 'zod';
import { CARRIED_FAMILIES, LAYER_HEADERS, TUNNEL_LAYERS } from './mtu';

const layerTable = TUNNEL_LAYERS.map(
  (layer) => `${layer} ${LAYER_HEADERS[layer].bytes} (${LAYER_HEADERS[layer].description})`,
).join('; ');

export const TunnelLayerSchema = z
  .enum(TUNNEL_LAYERS)
  .describe(`A header added by the tunnel, with its size in bytes: ${layerTable}`);

export const CarriedFamilySchema = z.enum(CARRIED_FAMILIES).describe('An address family carried inside the tunnel');

export const MtuComputeSchema = z.object({
  underlayMtu: z
    .number()
    .int()
    .min(68)
    .max(65535)
    .describe(
      'IP MTU available on the operator path: 1500 on plain Ethernet, 1492 behind PPPoE, 1432 on some wholesale lines',
    ),
  layers: z
    .array(TunnelLayerSchema)
    // Far above any real encapsulation stack; bounds the work done per request.
    .max(16)
    .describe('Headers the tunnel adds, outermost first; empty means no tunnel (inner MTU = underlay MTU)'),
  carries: z
    .array(CarriedFamilySchema)
    .min(1)
    .refine((families) => new Set(families).size === families.length, {
      message: 'each address family may be listed once',
    })
    .describe('Address families carried inside the tunnel; each sets a minimum inner MTU (IPv4 576, IPv6 1280)'),
});
export type MtuComputeInput = z.infer<typeof MtuComputeSchema>;
