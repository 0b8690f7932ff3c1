import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageSchema, PaginationSchema } from '../common/pagination';
import { Rfc3339, Text, Timestamp } from '../common/schemas';

export const ProposeCanarySchema = z
  .object({
    statement: Text.trim().min(1).max(5000).describe('What the association states, e.g. that it has received no order it may not disclose. Signed as its SHA-256.'),
    renewBy: Rfc3339.describe('By when a new canary will be issued; after it, this one reads as lapsed. In the future when proposed, and still at adoption, or the canary is not issued.'),
  })
  .strict();
export type ProposeCanaryInput = z.infer<typeof ProposeCanarySchema>;
export class ProposeCanaryDto extends createZodDto(ProposeCanarySchema) {}

export const ProposedCanarySchema = z
  .object({ proposalId: z.uuid().describe('The ccj proposal whose adoption issues the canary.'), status: z.literal('open') })
  .meta({ id: 'ProposedCanary' });
export type ProposedCanary = z.infer<typeof ProposedCanarySchema>;

const SignedShape = {
  statement: z.string(),
  issuedAt: Timestamp.describe('When the ccj circle adopted it.'),
  renewBy: Timestamp,
  proposalId: z.uuid(),
  signature: z.string().describe('Ed25519 by the ledger key, base64, over signedText.'),
  publicKey: z.string().describe('The ledger key that signed it, base64 SPKI DER: the key of GET /ledger/checkpoint.'),
  signedText: z.string().describe('lanterne-canary\\n<issuedAt>\\n<renewBy>\\n<SHA-256 of the statement, hex>\\n: recompute it rather than trust it.'),
};

export const CanaryViewSchema = z
  .object({
    ...SignedShape,
    status: z.enum(['current', 'lapsed']).describe('lapsed once renewBy has passed without a newer canary; a lapsed canary is never refreshed, only replaced by an adopted one.'),
  })
  .meta({ id: 'Canary' });
export type CanaryView = z.infer<typeof CanaryViewSchema>;

export const EarlierCanarySchema = z.object(SignedShape).meta({ id: 'EarlierCanary' });
export type EarlierCanary = z.infer<typeof EarlierCanarySchema>;

export const CanaryHistorySchema = pageSchema(EarlierCanarySchema, 'CanaryHistory', {}, 'The canaries issued before the one GET /canary shows, latest first.');
export class CanaryHistoryQueryDto extends createZodDto(PaginationSchema) {}
