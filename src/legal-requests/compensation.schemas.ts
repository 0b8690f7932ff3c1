import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Text, Timestamp } from '../common/schemas';

/**
 * Where a claim stands. `not-claimed`: nothing asked yet (or the association chose not to ask);
 * `claimed`: the statement of costs went to the authority; `paid`; `refused` by the authority.
 */
export const COMPENSATION_STATUSES = ['not-claimed', 'claimed', 'paid', 'refused'] as const;
export type CompensationStatus = (typeof COMPENSATION_STATUSES)[number];

const CalendarDate = z.iso.date().describe('A calendar date, YYYY-MM-DD.');

/** numeric(12, 2): up to ten digits before the point, two at most after, never negative. */
const Amount = z
  .string()
  .regex(/^(0|[1-9]\d{0,9})(\.\d{1,2})?$/, 'must be a decimal number ≥ 0 with at most two decimals, written as a string (e.g. "12.50")')
  .describe('A decimal number as a string, ≥ 0, at most two decimals, e.g. "12.50" (never a binary float).');

const Currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code of three capital letters (e.g. EUR)').describe('ISO 4217 currency code, e.g. EUR.');

// Rules spanning fields, checked once every field is well-formed, each naming the field to correct.
const onceWellFormed = { when: (payload: { issues: unknown[] }) => payload.issues.length === 0 };

export const SetCompensationSchema = z
  .object({
    amount: Amount.describe('What the association claims (or may claim) from the authority under the tariff in force.'),
    currency: Currency,
    status: z.enum(COMPENSATION_STATUSES),
    claimedOn: CalendarDate.optional().describe('When the claim went to the authority: required unless `not-claimed`, refused then.'),
    paidOn: CalendarDate.optional().describe('When it was paid: required when `paid` (not before `claimedOn`), refused otherwise.'),
    note: Text.trim().min(1).max(2000).optional().describe('For the circle: the statement of costs, an invoice number, why it was refused. Not for personal data.'),
  })
  .strict()
  .refine((c) => (c.status === 'not-claimed') === (c.claimedOn === undefined), {
    ...onceWellFormed,
    path: ['claimedOn'],
    message: 'is required once claimed (claimed, paid, refused), and refused while not-claimed',
  })
  .refine((c) => (c.status === 'paid') === (c.paidOn !== undefined), { ...onceWellFormed, path: ['paidOn'], message: 'is required when paid, and refused otherwise' })
  .refine((c) => c.paidOn === undefined || c.claimedOn === undefined || c.paidOn >= c.claimedOn, { ...onceWellFormed, path: ['paidOn'], message: 'must not be before claimedOn' });
export type SetCompensationInput = z.infer<typeof SetCompensationSchema>;
export class SetCompensationDto extends createZodDto(SetCompensationSchema) {}

export const CompensationViewSchema = z
  .object({
    amount: z.string().describe('Two decimals, e.g. "12.50".'),
    currency: z.string(),
    status: z.enum(COMPENSATION_STATUSES),
    claimedOn: z.iso.date().nullable(),
    paidOn: z.iso.date().nullable(),
    note: z.string().nullable(),
    updatedAt: Timestamp,
  })
  .meta({ id: 'LegalRequestCompensation' });
export type CompensationView = z.infer<typeof CompensationViewSchema>;
