import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageSchema, PaginationSchema } from '../common/pagination';
import { Text, Timestamp } from '../common/schemas';

/**
 * The fields a member may ask to correct by typing: the subscriber's operational data, each applied
 * by the context that holds it (see RectifiableFields).
 */
export const RECTIFIABLE_FIELDS = ['displayName', 'email', 'language'] as const;
export type RectifiableField = (typeof RECTIFIABLE_FIELDS)[number];

/** Identity fields are named so that asking for them is a 422 that says how, rather than an unknown field. */
export const IDENTITY_FIELDS = ['legalName', 'contact', 'phone', 'address'] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

export const RECTIFICATION_STATUSES = ['pending', 'accepted', 'refused'] as const;
export type RectificationStatus = (typeof RECTIFICATION_STATUSES)[number];

const Typed = (description: string) => Text.trim().min(1).max(2000).describe(description);

export const ProposeRectificationSchema = z
  .object({
    field: z
      .enum([...RECTIFIABLE_FIELDS, ...IDENTITY_FIELDS])
      .describe(`The field to correct: ${RECTIFIABLE_FIELDS.join(', ')}. Identity fields (${IDENTITY_FIELDS.join(', ')}) are corrected by a new verification (422).`),
    proposedValue: Text.max(2000).describe("The correct value, checked by the field's own rules. Held sealed beside the ledger, never in clear."),
    note: Typed('Why, for the technician who resolves it. Held sealed like the value.').optional(),
  })
  .strict();
export type ProposeRectificationInput = z.infer<typeof ProposeRectificationSchema>;
export class ProposeRectificationDto extends createZodDto(ProposeRectificationSchema) {}

export const RefuseRectificationSchema = z.object({ reason: Typed('Why it is refused; the member reads it. Held sealed beside the ledger.') }).strict();
export type RefuseRectificationInput = z.infer<typeof RefuseRectificationSchema>;
export class RefuseRectificationDto extends createZodDto(RefuseRectificationSchema) {}

export const ListRectificationsSchema = PaginationSchema.extend({ status: z.enum(RECTIFICATION_STATUSES).optional() });
export type ListRectificationsQuery = z.infer<typeof ListRectificationsSchema>;
export class ListRectificationsDto extends createZodDto(ListRectificationsSchema) {}

export const RectificationViewSchema = z
  .object({
    id: z.uuid(),
    subscriberId: z.uuid(),
    field: z.enum(RECTIFIABLE_FIELDS),
    status: z.enum(RECTIFICATION_STATUSES),
    proposedValue: z.string().nullable().describe('Null once retention erased it with the subscription data.'),
    note: z.string().nullable(),
    proposedAt: Timestamp,
    resolvedAt: Timestamp.nullable(),
    refusalReason: z.string().nullable(),
  })
  .meta({ id: 'Rectification', description: "A member's request to correct a field of their record, and how it was resolved." });
export type RectificationView = z.infer<typeof RectificationViewSchema>;
export const RectificationPageSchema = pageSchema(RectificationViewSchema, 'RectificationPage');
