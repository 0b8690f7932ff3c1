import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { PurposeCategorySchema, PurposeSchema } from '../ledger/ledger.schemas';
import { pageSchema, PaginationSchema } from '../common/pagination';
import { Rfc3339, Text, Timestamp } from '../common/schemas';

// Far longer than any written prefix (an IPv6 address with its length is at most 43 characters).
const PrefixText = Text.trim().min(1).max(64);

export const CreatePoolSchema = z
  .object({
    name: Text.trim().min(1).max(100).describe('How technicians call the pool, e.g. "v4-public-1".'),
    prefix: PrefixText.describe(
      'The pool, e.g. 192.0.2.0/24 or 2001:db8::/29; host bits must be zero. IPv4-mapped IPv6 (::ffff:192.0.2.0/120, with assignLength 128) is the IPv4 pool it names. ' +
        'Unspecified, loopback, link-local, multicast and broadcast addresses are never handed out: a pool overlapping them is refused.',
    ),
    assignLength: z.number().int().min(0).max(128).describe('Length of the blocks handed out, e.g. 32 for single IPv4 addresses or 56 for IPv6 prefixes.'),
    quarantineDays: z.number().int().min(0).max(3650).default(30).describe('Days a released block stays unassignable, so that "who held it at T" never has two answers.'),
  })
  .strict();
export type CreatePoolInput = z.infer<typeof CreatePoolSchema>;
export class CreatePoolDto extends createZodDto(CreatePoolSchema) {}

const Count = z
  .union([z.number().int().min(0), z.string().regex(/^[1-9]\d*$/)])
  .describe('Blocks of assignLength; a decimal string when beyond 2^53 (large IPv6 pools).');

const PoolFields = {
  id: z.uuid(),
  name: z.string(),
  prefix: z.string().describe('The pool in CIDR notation, normalised.'),
  family: z.enum(['ipv4', 'ipv6']),
  assignLength: z.number().int().min(0).max(128),
  quarantineDays: z.number().int().min(0),
};
export const PoolViewSchema = z.object(PoolFields).meta({ id: 'Pool', description: 'An IP pool.' });
export type PoolView = z.infer<typeof PoolViewSchema>;

export const PoolUsageViewSchema = z
  .object({ ...PoolFields, size: Count, assigned: Count, quarantined: Count, free: Count })
  .meta({ id: 'PoolUsage', description: 'An IP pool with its utilisation, counted in blocks of assignLength.' });
export type PoolUsageView = z.infer<typeof PoolUsageViewSchema>;
export const PoolUsagePageSchema = pageSchema(PoolUsageViewSchema, 'PoolUsagePage');

export const AssignSchema = z
  .object({
    poolId: z.uuid(),
    prefix: PrefixText.optional().describe('A specific block; without it the lowest free aligned block is taken.'),
    validFrom: Rfc3339.optional().describe('Defaults to now; may lie in the past for history migrated from an older system.'),
  })
  .strict();
export type AssignInput = z.infer<typeof AssignSchema>;
export class AssignDto extends createZodDto(AssignSchema) {}

export const ReleaseSchema = z.object({ at: Rfc3339.optional().describe('End of validity; defaults to now, never in the future.') }).strict();
export class ReleaseDto extends createZodDto(ReleaseSchema) {}

export const LookupSchema = PaginationSchema.extend({
  address: Text.trim().min(1).max(64).describe('An IPv4 or IPv6 address; IPv4-mapped IPv6 (::ffff:192.0.2.5) is the IPv4 address.'),
  at: Rfc3339.optional().describe('The instant asked about; defaults to now.'),
  purpose: PurposeSchema.optional().describe('Why a past instant is looked up: required then, recorded with the lookup and shown to the member concerned.'),
  purposeCategory: PurposeCategorySchema,
}).strict();
export type LookupQuery = z.infer<typeof LookupSchema>;
export class LookupDto extends createZodDto(LookupSchema) {}

export const AssignmentReadSchema = z
  .object({
    purpose: PurposeSchema.optional().describe('Required to read an assignment that has ended (IP history); recorded with the read.'),
    purposeCategory: PurposeCategorySchema,
  })
  .strict();
export type AssignmentReadQuery = z.infer<typeof AssignmentReadSchema>;
export class AssignmentReadDto extends createZodDto(AssignmentReadSchema) {}

const HolderFields = {
  id: z.uuid(),
  subscriptionId: z.uuid(),
  poolId: z.uuid(),
  prefix: z.string().describe('The block in CIDR notation, e.g. 192.0.2.5/32 or 2001:db8:0:100::/56.'),
  validFrom: Timestamp,
  validUntil: Timestamp.nullable().describe('Null while the assignment is current.'),
};
export const AssignmentViewSchema = z
  .object({ ...HolderFields, quarantineUntil: Timestamp.nullable().describe('End of the quarantine that follows validUntil; null while current.') })
  .meta({ id: 'Assignment', description: 'A block held by a subscription from validFrom until validUntil.' });
export type AssignmentView = z.infer<typeof AssignmentViewSchema>;
export const AssignmentPageSchema = pageSchema(AssignmentViewSchema, 'AssignmentPage');

export const HolderViewSchema = z.object(HolderFields).meta({ id: 'Holder', description: 'An assignment covering the address asked about, with the subscription id only.' });
export type HolderView = z.infer<typeof HolderViewSchema>;

export const LookupViewSchema = pageSchema(
  HolderViewSchema,
  'AddressLookup',
  {
    address: z.string().describe('The address asked about, as a host prefix (e.g. 192.0.2.5/32).'),
    at: Timestamp.describe('The instant asked about.'),
  },
  'Who held an address at an instant: one page of the assignments covering it.',
);
export type LookupView = z.infer<typeof LookupViewSchema>;
