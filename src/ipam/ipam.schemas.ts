import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { PurposeCategorySchema, PurposeSchema } from '../ledger/ledger.schemas';
import { PaginationSchema } from '../common/pagination';
import { Rfc3339 } from '../common/schemas';

// Far longer than any written prefix (an IPv6 address with its length is at most 43 characters).
const PrefixText = z.string().trim().min(1).max(64);

export const CreatePoolSchema = z
  .object({
    name: z.string().trim().min(1).max(100).describe('How technicians call the pool, e.g. "v4-public-1".'),
    prefix: PrefixText.describe('The pool, e.g. 192.0.2.0/24 or 2001:db8::/29; host bits must be zero.'),
    assignLength: z.number().int().min(0).max(128).describe('Length of the blocks handed out, e.g. 32 for single IPv4 addresses or 56 for IPv6 prefixes.'),
    quarantineDays: z.number().int().min(0).max(3650).default(30).describe('Days a released block stays unassignable, so that "who held it at T" never has two answers.'),
  })
  .strict();
export type CreatePoolInput = z.infer<typeof CreatePoolSchema>;
export class CreatePoolDto extends createZodDto(CreatePoolSchema) {}

const Count = z.union([z.number().int(), z.string()]).describe('Blocks of assignLength; a decimal string when beyond 2^53 (large IPv6 pools).');

export const PoolViewSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  prefix: z.string(),
  family: z.enum(['ipv4', 'ipv6']),
  assignLength: z.number().int(),
  quarantineDays: z.number().int(),
});
export class PoolViewDto extends createZodDto(PoolViewSchema) {}

export const PoolUsageViewSchema = PoolViewSchema.extend({ size: Count, assigned: Count, quarantined: Count, free: Count });
export class PoolUsageViewDto extends createZodDto(PoolUsageViewSchema) {}

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
  address: z.string().trim().min(1).max(64).describe('An IPv4 or IPv6 address.'),
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

export const AssignmentViewSchema = z.object({
  id: z.uuid(),
  subscriptionId: z.uuid(),
  poolId: z.uuid(),
  prefix: z.string(),
  validFrom: z.string(),
  validUntil: z.string().nullable(),
  quarantineUntil: z.string().nullable().describe('End of the quarantine that follows validUntil.'),
});
export class AssignmentViewDto extends createZodDto(AssignmentViewSchema) {}
