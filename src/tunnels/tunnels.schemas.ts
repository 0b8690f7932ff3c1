import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageSchema } from '../common/pagination';
import { Text, Timestamp } from '../common/schemas';
import { CARRIED_FAMILIES, LAYER_HEADERS, TUNNEL_LAYERS } from './mtu';
import { checkWireguardKey } from '../common/wireguard-key';

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

export class MtuComputeDto extends createZodDto(MtuComputeSchema.strict()) {}

const TunnelMtuFields = {
  innerMtu: z.number().int().describe('underlayMtu minus the bytes of every layer.'),
  overhead: z.number().int().min(0).describe('Bytes the layers add.'),
  layers: z.array(z.object({ name: TunnelLayerSchema, bytes: z.number().int().min(0) })).describe('Each layer with its header bytes, outermost first.'),
  mssIpv4: z.number().int().optional().describe('Given when IPv4 is carried: innerMtu − 40.'),
  mssIpv6: z.number().int().optional().describe('Given when IPv6 is carried: innerMtu − 60.'),
  warnings: z.array(z.string()).describe('Hints when the layer list looks like a mistake; the values are computed anyway.'),
};
export const TunnelMtuViewSchema = z.object(TunnelMtuFields).meta({ id: 'TunnelMtu', description: 'Inner MTU and TCP MSS of a tunnel.' });
export type TunnelMtuView = z.infer<typeof TunnelMtuViewSchema>;

/** A reference to a preset is a UUID (its id) or else its name, so no name may look like an id. */
export const isPresetId = (reference: string): boolean => z.uuid().safeParse(reference).success;

const PresetName = Text.trim().min(1).max(100);
const PresetReference = PresetName.describe('A preset\'s id, or its name as written, e.g. "fiber-pppoe".');

export const CreatePresetSchema = z
  .object({
    name: PresetName.refine((name) => !isPresetId(name), 'must not be a UUID: presets are referenced by id or by name').describe(
      'The operator line, e.g. "Proximus VDSL wholesale".',
    ),
    description: Text.trim().max(500).optional(),
    underlayMtu: MtuComputeSchema.shape.underlayMtu,
    layers: MtuComputeSchema.shape.layers,
  })
  .strict();
export type CreatePresetInput = z.infer<typeof CreatePresetSchema>;
export class CreatePresetDto extends createZodDto(CreatePresetSchema) {}

export const PresetParamSchema = z.object({ id: PresetReference });
export class PresetParamDto extends createZodDto(PresetParamSchema) {}

export const PresetViewSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable().describe('Null when none was given.'),
    underlayMtu: z.number().int(),
    layers: z.array(TunnelLayerSchema),
    overhead: z.number().int().min(0).describe('Bytes the layers add.'),
    createdAt: Timestamp,
  })
  .meta({ id: 'TunnelPreset', description: "A named operator's line: its underlay MTU and usual layers." });
export type PresetView = z.infer<typeof PresetViewSchema>;
export const PresetPageSchema = pageSchema(PresetViewSchema, 'TunnelPresetPage');

export const SetTunnelSchema = z
  .object({
    preset: PresetReference.optional().describe('A preset (its id or its name) whose underlayMtu and layers apply unless given here.'),
    underlayMtu: MtuComputeSchema.shape.underlayMtu.optional(),
    layers: MtuComputeSchema.shape.layers.optional(),
    carries: MtuComputeSchema.shape.carries,
  })
  .strict()
  .refine((body) => body.preset !== undefined || (body.underlayMtu !== undefined && body.layers !== undefined), {
    path: ['preset'],
    message: 'give underlayMtu and layers, or a preset that supplies them',
  });
export type SetTunnelInput = z.infer<typeof SetTunnelSchema>;
export class SetTunnelDto extends createZodDto(SetTunnelSchema) {}

export const TUNNEL_CONFIG_FORMATS = ['wireguard', 'openvpn'] as const;
export type TunnelConfigFormat = (typeof TUNNEL_CONFIG_FORMATS)[number];
export const TunnelConfigQuerySchema = z
  .object({ format: z.enum(TUNNEL_CONFIG_FORMATS).optional().describe("Defaults to the tunnel's own kind (its wireguard or openvpn-aead layer).") })
  .strict();
export class TunnelConfigQueryDto extends createZodDto(TunnelConfigQuerySchema) {}

export const TunnelViewSchema = z
  .object({
    ...TunnelMtuFields,
    subscriptionId: z.uuid(),
    presetId: z.uuid().nullable().describe('The preset the settings came from; null when given explicitly.'),
    underlayMtu: z.number().int(),
    carries: z.array(CarriedFamilySchema),
    updatedAt: Timestamp,
  })
  .meta({ id: 'Tunnel', description: "A subscription's tunnel settings with their computed values." });
export type TunnelView = z.infer<typeof TunnelViewSchema>;

export const TunnelConfigSchema = z.string().describe('The configuration, as a file for the CPE; the private key is a placeholder to replace there.');

export const PEER_TYPES = ['wireguard', 'openvpn'] as const;
export type PeerType = (typeof PEER_TYPES)[number];

const WireguardPublicKey = z
  .string()
  .superRefine((key, ctx) => {
    const check = checkWireguardKey(key);
    if (!check.ok) ctx.addIssue({ code: 'custom', message: check.reason });
  })
  .describe("The CPE's WireGuard public key as `wg pubkey` prints it: base64 of exactly 32 bytes (44 characters ending in =).");

export const RegisterPeerSchema = z
  .object({
    type: z.enum(PEER_TYPES).describe('The tunnel kind of the CPE: wireguard (give publicKey) or openvpn (give csr).'),
    publicKey: WireguardPublicKey.optional(),
    // A PEM request of the largest accepted key (RSA 4096) is under 2 kB; the bound stops abuse, not members.
    csr: Text.max(16384)
      .optional()
      .describe(
        'A PEM PKCS#10 certificate request made on the CPE (e.g. `openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout cpe.key -subj /CN=cpe`): RSA ≥ 2048, ECDSA P-256/P-384 or Ed25519. Its subject is ignored.',
      ),
  })
  .strict()
  .superRefine((body, ctx) => {
    const [wanted, other] = body.type === 'wireguard' ? (['publicKey', 'csr'] as const) : (['csr', 'publicKey'] as const);
    if (body[wanted] === undefined) ctx.addIssue({ code: 'custom', path: [wanted], message: `is required for a ${body.type} peer` });
    if (body[other] !== undefined) ctx.addIssue({ code: 'custom', path: [other], message: `is not part of a ${body.type} peer` });
  });
export type RegisterPeerInput = z.infer<typeof RegisterPeerSchema>;
export class RegisterPeerDto extends createZodDto(RegisterPeerSchema) {}

export const PeerViewSchema = z
  .object({
    subscriptionId: z.uuid(),
    type: z.enum(PEER_TYPES),
    publicKey: z.string().nullable().describe('WireGuard: the CPE public key; null for OpenVPN.'),
    certificate: z.string().nullable().describe("OpenVPN: the CPE's certificate (PEM), signed by the association's CA, CN = the subscription id; null for WireGuard."),
    certificateSerial: z.string().nullable().describe('OpenVPN: the serial number of the certificate, in hexadecimal.'),
    certificateNotAfter: Timestamp.nullable().describe('OpenVPN: when the certificate expires; register a new request before.'),
    registeredAt: Timestamp,
  })
  .meta({ id: 'TunnelPeer', description: "The CPE side of a subscription's tunnel: public material only." });
export type PeerView = z.infer<typeof PeerViewSchema>;

export const RouterFilesSchema = z
  .object({
    files: z.array(z.object({ name: z.string().describe('The file name: the certificate CN, i.e. the subscription id.'), content: z.string() })),
  })
  .meta({ id: 'OpenvpnClientConfigDir', description: "The files of the OpenVPN server's client-config-dir, one per client holding a block." });
export type RouterFiles = z.infer<typeof RouterFilesSchema>;
