import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageSchema } from '../common/pagination';
import { Text, Timestamp } from '../common/schemas';

const AddressText = Text.trim()
  .min(1)
  .max(64)
  .describe('An address inside a block the subscription holds now: an IPv4 address it is assigned, or any address of its IPv6 prefix. IPv4-mapped IPv6 is IPv4.');

export const SetReverseNameSchema = z
  .object({
    address: AddressText,
    name: Text.trim()
      .min(1)
      .max(254)
      .describe(
        'A fully qualified host name (RFC 1123: letters, digits and hyphens, labels of at most 63, at most 253 in all, no underscore, two labels at least); ' +
          'the trailing dot is optional. Stored in lower case; an internationalised name as its xn-- form.',
      ),
  })
  .strict();
export type SetReverseNameInput = z.infer<typeof SetReverseNameSchema>;
export class SetReverseNameDto extends createZodDto(SetReverseNameSchema) {}

export const ClearReverseNameSchema = z.object({ address: AddressText }).strict();
export class ClearReverseNameDto extends createZodDto(ClearReverseNameSchema) {}

const ReverseNameFields = {
  address: z.string().describe('The address, as PostgreSQL writes it (192.0.2.5, 2001:db8::1).'),
  name: z.string().describe('The PTR name, without the trailing dot.'),
  assignmentId: z.uuid().describe('The assignment the address belongs to; the name goes when it is released.'),
  setAt: Timestamp,
};
export const ReverseNameViewSchema = z.object(ReverseNameFields).meta({ id: 'ReverseName', description: 'A PTR name set on an address a subscription holds.' });
export type ReverseNameView = z.infer<typeof ReverseNameViewSchema>;
export const ReverseNamePageSchema = pageSchema(ReverseNameViewSchema, 'ReverseNamePage');

export const ReverseNameHistoryViewSchema = z
  .object({
    ...ReverseNameFields,
    clearedAt: Timestamp.nullable().describe('When the name stopped being served; null while it is current.'),
    clearedBecause: z
      .enum(['replaced', 'cleared', 'released'])
      .nullable()
      .describe('replaced by another name, cleared by hand, or gone with its block at release; null while current.'),
  })
  .meta({ id: 'ReverseNameHistory', description: 'A PTR name a subscription has had on one of its addresses, current or ended.' });
export type ReverseNameHistoryView = z.infer<typeof ReverseNameHistoryViewSchema>;
export const ReverseNameHistoryPageSchema = pageSchema(ReverseNameHistoryViewSchema, 'ReverseNameHistoryPage');

export const SetReverseNameViewSchema = z
  .object({
    ...ReverseNameFields,
    zone: z.string().describe('The reverse zone that now serves it.'),
    forwardConfirmed: z
      .boolean()
      .nullable()
      .describe('Whether the name resolves back to the address (A or AAAA); null when the check is off or the resolver could not say. Reported, never enforced.'),
  })
  .meta({ id: 'ReverseNameSet', description: 'The PTR name now current, with its forward-confirmation check.' });
export type SetReverseNameView = z.infer<typeof SetReverseNameViewSchema>;

export const ZoneViewSchema = z
  .object({
    zone: z.string().describe('The zone name, without the trailing dot.'),
    kind: z.enum(['in-addr', 'classless', 'ip6']).describe('in-addr: on an octet boundary; classless: RFC 2317, for an IPv4 pool smaller than a /24; ip6: on a nibble boundary.'),
    prefix: z.string().describe('The addresses whose PTR records it holds.'),
    poolId: z.uuid(),
    serial: z.number().int().min(1).describe('The SOA serial, bumped by every change of the zone.'),
  })
  .meta({ id: 'ReverseZone', description: 'A reverse zone of a pool.' });
export type ZoneView = z.infer<typeof ZoneViewSchema>;
export const ZonePageSchema = pageSchema(ZoneViewSchema, 'ReverseZonePage');

export const ZoneParamSchema = z.object({
  zone: Text.trim()
    .min(1)
    .max(254)
    .regex(/^[A-Za-z0-9.-]+$/, 'must be a zone name such as 2.0.192.in-addr.arpa')
    .describe('A zone name from GET /dns/zones, the trailing dot optional.'),
});
export class ZoneParamDto extends createZodDto(ZoneParamSchema) {}

export const ZoneFileSchema = z.string().describe('The zone in RFC 1035 master-file format: SOA, NS, then one PTR per named address.');
