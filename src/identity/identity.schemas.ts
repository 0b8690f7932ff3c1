import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageSchema, PaginationSchema } from '../common/pagination';
import { Rfc3339, Text, Timestamp } from '../common/schemas';
import { checkPhone } from './phone';
import { checkPostalCode, POSTAL_COUNTRIES } from './postal-codes';
import { VERIFICATION_METHODS, VERIFICATION_STATUSES } from './verification-rules';

const LegalName = Text.trim().min(1).max(200).describe('The name on the civil register, as it will be sealed in the vault.');
const Line = Text.trim().min(1).max(200);

/** Phone numbers are parsed and validated (libphonenumber-js), and kept as E.164. */
const Phone = Text.trim()
  .min(1)
  .max(40)
  .transform((typed, ctx) => {
    const check = checkPhone(typed);
    if (check.ok) return check.e164;
    ctx.addIssue({ code: 'custom', message: check.reason });
    return z.NEVER;
  })
  .describe('International (+32 470 12 34 56) or Belgian national form; validated and kept as E.164. It must be able to receive an SMS.');

export const PostalAddressSchema = z
  .object({
    line1: Line.describe('Street and number.'),
    line2: Line.optional().describe('Box, building, c/o.'),
    postalCode: Text.trim().min(1).max(12),
    city: Line,
    country: z.enum(POSTAL_COUNTRIES).describe('ISO 3166-1 alpha-2; the postal code is checked by the country.'),
  })
  .strict()
  .transform((address, ctx) => {
    const check = checkPostalCode(address.country, address.postalCode);
    if (check.ok) return { ...address, postalCode: check.postalCode };
    ctx.addIssue({ code: 'custom', path: ['postalCode'], message: check.reason });
    return z.NEVER;
  });
export type PostalAddress = z.infer<typeof PostalAddressSchema>;

// No field for an identity document, its number or its image: the vault never holds one.
export const StartVerificationSchema = z
  .object({
    method: z.enum(VERIFICATION_METHODS).describe('sms: a text to `phone`; postal: a letter to `address`.'),
    phone: Phone.optional().describe('For sms (required there, refused for postal).'),
    legalName: LegalName.optional().describe('Required for postal (the letter is addressed to it), optional for sms.'),
    address: PostalAddressSchema.optional().describe('For postal (required there, refused for sms).'),
  })
  .strict()
  .superRefine((body, ctx) => {
    const need = (field: 'phone' | 'legalName' | 'address') => {
      if (body[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `is required for ${body.method}` });
    };
    const refuse = (field: 'phone' | 'address') => {
      if (body[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: `has no place in a ${body.method} verification` });
    };
    if (body.method === 'sms') {
      need('phone');
      refuse('address');
    } else {
      need('legalName');
      need('address');
      refuse('phone');
    }
  });
export type StartVerificationInput = z.infer<typeof StartVerificationSchema>;
export class StartVerificationDto extends createZodDto(StartVerificationSchema) {}

export const ConfirmVerificationSchema = z
  .object({ code: Text.regex(/^\d{6}$/, 'must be the 6 digits received').describe('The code received by SMS or by post.') })
  .strict();
export class ConfirmVerificationDto extends createZodDto(ConfirmVerificationSchema) {}

export const ListVerificationsSchema = PaginationSchema.strict();
export class ListVerificationsDto extends createZodDto(ListVerificationsSchema) {}

export const LettersQuerySchema = z
  .object({
    status: z.literal('pending').describe('Only pending letters can be printed.'),
    since: Rfc3339.optional().describe("Only the letters of verifications started at or after this instant (the day's letters: since midnight)."),
  })
  .strict();
export type LettersQuery = z.infer<typeof LettersQuerySchema>;
export class LettersQueryDto extends createZodDto(LettersQuerySchema) {}

export const StartedVerificationSchema = z
  .object({
    id: z.uuid(),
    method: z.enum(VERIFICATION_METHODS),
    status: z.literal('sent'),
    expiresAt: Timestamp,
  })
  .meta({ id: 'StartedVerification', description: 'A verification whose code is on its way.' });
export type StartedVerificationView = z.infer<typeof StartedVerificationSchema>;

export const ConfirmedVerificationSchema = z.object({ status: z.literal('verified') }).meta({ id: 'ConfirmedVerification', description: 'The code was right.' });

/** The outbox's states of a message: dropped when the verification ended before it went out. */
export const DELIVERY_STATES = ['queued', 'sent', 'failed', 'dropped'] as const;

export const VerificationViewSchema = z
  .object({
    id: z.uuid(),
    subscriberId: z.uuid(),
    method: z.enum(VERIFICATION_METHODS),
    status: z.enum(VERIFICATION_STATUSES).describe('sent while the code may be typed; verified, locked (5 wrong codes) and expired are final.'),
    createdAt: Timestamp,
    expiresAt: Timestamp,
    endedAt: Timestamp.nullable(),
    attemptsLeft: z.number().int().min(0).max(5),
    sends: z.number().int().min(1).max(3).describe('How many times the code was sent (at most 3).'),
    lastSentAt: Timestamp,
    delivery: z
      .enum(DELIVERY_STATES)
      .nullable()
      .describe("The outbox's state of the last send (failed: a technician should resend or check the transport, see GET /outbox/messages); null for none."),
  })
  .meta({ id: 'Verification', description: 'A verification, without any personal value: neither the contact nor the code.' });
export type VerificationView = z.infer<typeof VerificationViewSchema>;
export const VerificationPageSchema = pageSchema(VerificationViewSchema, 'VerificationPage');

export const LetterPdfSchema = z.unknown().describe('A4 letters as PDF, one page per letter, for a window envelope.');
