import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { DecimalInteger, Text, Timestamp } from '../common/schemas';
import { PURPOSE_CATEGORIES } from './ledger-entry';

/**
 * Why someone reads personal data. Routes that read it put this in their query or body schema, so a
 * request without a purpose is refused (400) before anything is read; the purpose is then recorded
 * with the read, as a personal value of its ledger entry, and shown to the member concerned.
 */
export const PurposeSchema = Text.trim()
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

/** Tree sizes and leaf indices. */
const Count = DecimalInteger;

export const EntriesQuerySchema = z.object({
  start: Count.describe('First index, included.'),
  end: Count.describe('Last index, excluded; at most the current tree size.'),
});
export class EntriesQueryDto extends createZodDto(EntriesQuerySchema) {}

export const InclusionQuerySchema = z.object({
  index: Count.describe('Index of the leaf.'),
  treeSize: Count.describe('Size of the tree the proof is for, e.g. that of a checkpoint you hold.'),
  format: z
    .enum(['json', 'tlog-proof'])
    .optional()
    .describe('tlog-proof: the C2SP tlog-proof text (as Accept: text/plain), which needs a checkpoint signed at exactly treeSize.'),
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
const Base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const Index = z.number().int().min(0);

export const CheckpointSchema = z
  .object({
    treeSize: Index,
    rootHash: Hex32.describe('Root of the first treeSize leaves (SHA-256 of the empty string for an empty log).'),
    timestamp: z.iso.datetime().describe('RFC 3339 UTC, whole seconds.'),
    signature: Base64.describe('Base64 Ed25519 signature over "lanterne-checkpoint\\n<treeSize>\\n<rootHash>\\n<timestamp>\\n".'),
    publicKey: Base64.describe('Base64 SPKI DER of the Ed25519 key: pin it by keeping a checkpoint.'),
  })
  .meta({ id: 'Checkpoint', description: 'A signed tree head.' });
export type Checkpoint = z.infer<typeof CheckpointSchema>;

const Vkey = z.string().regex(/^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+={0,2}$/, 'a C2SP verifier key: <name>+<key id>+<base64 key>');

export const CheckpointViewSchema = CheckpointSchema.extend({
  origin: z.string().describe('The C2SP origin line of the same tree head as a checkpoint note (Accept: text/plain).'),
  verifierKey: Vkey.describe('The ledger key as a C2SP verifier key (Ed25519, key name = origin), for note readers.'),
  witnessPolicy: z
    .object({
      witnesses: z.array(Vkey).describe('The cosigner keys (cosignature/v1) this log asks to cosign its checkpoints.'),
      quorum: Index.describe('How many of them the operator requires; a member may hold their own policy.'),
    })
    .describe('Whom this log asks, as the operator configured it: pin your own copy rather than trusting this answer.'),
}).meta({ id: 'CheckpointView', description: 'A signed tree head, with its C2SP names.' });
export type CheckpointView = z.infer<typeof CheckpointViewSchema>;

/** A C2SP checkpoint: the signed note, its text then the log's and the witnesses' signature lines. */
export const CheckpointNoteSchema = z.string().regex(/^[^\n]+\n(0|[1-9]\d*)\n[A-Za-z0-9+/]{43}=\n\n(\u2014 \S+ \S+\n)+$/).describe('A C2SP signed checkpoint note (c2sp.org/tlog-checkpoint).');
export const VerifierKeyTextSchema = z.string().regex(/^[^\s+]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]+={0,2}\n$/).describe('A C2SP verifier key, then a newline.');
export const TlogProofTextSchema = z.string().regex(/^c2sp\.org\/tlog-proof@v1\n/).describe('A C2SP tlog proof (c2sp.org/tlog-proof@v1).');

export const EntrySchema = z
  .object({
    index: Index,
    leaf: z.string().describe('The leaf: canonical JSON text. Its UTF-8 bytes are what is hashed.'),
    leafHash: Hex32.describe('SHA-256(0x00 ‖ UTF-8 bytes of leaf), as stored.'),
  })
  .meta({ id: 'Entry', description: 'One ledger entry.' });
export type EntryView = z.infer<typeof EntrySchema>;
export const EntryListSchema = z.array(EntrySchema).max(1000).meta({ id: 'EntryList', description: 'Entries in index order, at most 1000.' });

export const InclusionProofSchema = z
  .object({
    index: Index,
    treeSize: Index,
    path: z.array(Hex32).describe('RFC 9162 inclusion path, deepest sibling first.'),
  })
  .meta({ id: 'InclusionProof', description: 'An RFC 9162 inclusion proof.' });
export type InclusionProofView = z.infer<typeof InclusionProofSchema>;

export const ConsistencyProofSchema = z
  .object({
    first: Index,
    second: Index,
    path: z.array(Hex32).describe('RFC 9162 consistency path.'),
  })
  .meta({ id: 'ConsistencyProof', description: 'An RFC 9162 consistency proof.' });
export type ConsistencyProofView = z.infer<typeof ConsistencyProofSchema>;

export const VerifyResultSchema = z
  .object({
    ok: z.boolean(),
    treeSize: Index.describe('How many leaves were recomputed.'),
    firstBadIndex: Index.optional().describe('The first leaf whose stored data does not match what was recomputed.'),
    reason: z.string().optional().describe('Why the log does not verify; absent when ok.'),
    checkpointsChecked: Index.describe('Signed checkpoints whose root was recomputed and matched.'),
  })
  .meta({ id: 'VerifyResult', description: 'The outcome of recomputing the whole log.' });
export type VerifyResult = z.infer<typeof VerifyResultSchema>;

export const PersonalValueSchema = z
  .object({
    name: z.string(),
    commitment: Hex32.describe('As in the leaf: SHA-256(salt ‖ UTF-8 value), hex.'),
    value: z.string().optional().describe('Absent once erased.'),
    salt: z.string().regex(/^[0-9a-f]+$/).optional().describe('Hex; absent once erased.'),
    erasedAt: Timestamp.optional().describe('When retention erased the value.'),
  })
  .meta({ id: 'PersonalValue', description: 'A personal value committed in a leaf, or the trace of its erasure.' });
export type PersonalValueView = z.infer<typeof PersonalValueSchema>;

export const PersonalValuesSchema = z
  .object({ index: Index, values: z.array(PersonalValueSchema) })
  .meta({ id: 'PersonalValues', description: 'The personal values behind the commitments of one entry.' });
export type PersonalValuesView = z.infer<typeof PersonalValuesSchema>;
