import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { PURPOSE_CATEGORIES } from './ledger-entry';

/**
 * Why someone reads personal data. Routes that read it put this in their query or body schema, so a
 * request without a purpose is refused (400) before anything is read; the purpose is then recorded
 * with the read, as a personal value of its ledger entry, and shown to the member concerned.
 */
export const PurposeSchema = z
  .string()
  .trim()
  .min(5, 'state why, in a few words')
  .max(500)
  .describe('Why this is looked at. Recorded with the read (beside the ledger, erasable by retention) and shown to the member concerned.');

/** What the purpose is about: goes with every purpose, into the ledger leaf in clear. */
export const PurposeCategorySchema = z
  .enum(PURPOSE_CATEGORIES)
  .default('other')
  .describe('What the purpose is about, kept in the ledger in clear when the typed purpose is erased.');

/** The fields of a purposed read; a route that reads personal data puts them in its query or body. */
export const PurposeFields = { purpose: PurposeSchema, purposeCategory: PurposeCategorySchema };

/** Tree sizes and leaf indices: decimal, no sign, no leading zero (an empty value is not 0). */
const Count = z
  .string()
  .regex(/^(0|[1-9]\d{0,15})$/, 'must be a non-negative integer')
  .transform(Number)
  .refine(Number.isSafeInteger, 'is too large');

export const EntriesQuerySchema = z.object({
  start: Count.describe('First index, included.'),
  end: Count.describe('Last index, excluded; at most the current tree size.'),
});
export class EntriesQueryDto extends createZodDto(EntriesQuerySchema) {}

export const InclusionQuerySchema = z.object({
  index: Count.describe('Index of the leaf.'),
  treeSize: Count.describe('Size of the tree the proof is for, e.g. that of a checkpoint you hold.'),
});
export class InclusionQueryDto extends createZodDto(InclusionQuerySchema) {}

export const ConsistencyQuerySchema = z.object({
  first: Count.describe('The smaller tree size, e.g. that of a checkpoint you saved.'),
  second: Count.describe('The larger tree size, e.g. that of today’s checkpoint.'),
});
export class ConsistencyQueryDto extends createZodDto(ConsistencyQuerySchema) {}

export const EntryIndexParamSchema = z.object({ index: Count.describe('Index of the entry.') });
export class EntryIndexParamDto extends createZodDto(EntryIndexParamSchema) {}

export const PurposeQuerySchema = z.object(PurposeFields);
export type PurposeQuery = z.infer<typeof PurposeQuerySchema>;
export class PurposeQueryDto extends createZodDto(PurposeQuerySchema) {}

const Hex32 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits');

export const CheckpointSchema = z.object({
  treeSize: z.number().int().min(0),
  rootHash: Hex32.describe('Root of the first treeSize leaves (SHA-256 of the empty string for an empty log).'),
  timestamp: z.string().describe('RFC 3339, whole seconds.'),
  signature: z.string().describe('Base64 Ed25519 signature over "lanterne-checkpoint\\n<treeSize>\\n<rootHash>\\n<timestamp>\\n".'),
  publicKey: z.string().describe('Base64 SPKI DER of the Ed25519 key: pin it by keeping a checkpoint.'),
});
export class CheckpointDto extends createZodDto(CheckpointSchema) {}

export const EntrySchema = z.object({
  index: z.number().int().min(0),
  leaf: z.string().describe('The leaf: canonical JSON text. Its UTF-8 bytes are what is hashed.'),
  leafHash: Hex32.describe('SHA-256(0x00 ‖ UTF-8 bytes of leaf), as stored.'),
});
export class EntryDto extends createZodDto(EntrySchema) {}

export const InclusionProofSchema = z.object({
  index: z.number().int(),
  treeSize: z.number().int(),
  path: z.array(Hex32).describe('RFC 9162 inclusion path, deepest sibling first.'),
});
export class InclusionProofDto extends createZodDto(InclusionProofSchema) {}

export const ConsistencyProofSchema = z.object({
  first: z.number().int(),
  second: z.number().int(),
  path: z.array(Hex32).describe('RFC 9162 consistency path.'),
});
export class ConsistencyProofDto extends createZodDto(ConsistencyProofSchema) {}

export const VerifyResultSchema = z.object({
  ok: z.boolean(),
  treeSize: z.number().int().describe('How many leaves were recomputed.'),
  firstBadIndex: z.number().int().optional().describe('The first leaf whose stored data does not match what was recomputed.'),
  reason: z.string().optional(),
  checkpointsChecked: z.number().int().describe('Signed checkpoints whose root was recomputed and matched.'),
});
export class VerifyResultDto extends createZodDto(VerifyResultSchema) {}

export const PersonalValuesSchema = z.object({
  index: z.number().int(),
  values: z.array(
    z.object({
      name: z.string(),
      commitment: Hex32.describe('As in the leaf: SHA-256(salt ‖ UTF-8 value), hex.'),
      value: z.string().optional(),
      salt: z.string().optional().describe('Hex; absent once erased.'),
      erasedAt: z.string().optional(),
    }),
  ),
});
export class PersonalValuesDto extends createZodDto(PersonalValuesSchema) {}
