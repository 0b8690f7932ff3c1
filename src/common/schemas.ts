import { z } from 'zod';
import { isWellFormedUnicode } from './unicode';

/** RFC 3339 timestamps with an offset, turned into Dates. */
export const Rfc3339 = z.iso
  .datetime({ offset: true })
  .transform((text) => new Date(text))
  .describe('RFC 3339 timestamp, e.g. 2026-11-21T10:00:00Z');

export const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

/**
 * The base of every text field and text query parameter: what is stored must be what was sent.
 * PostgreSQL text cannot hold U+0000 (the write fails, a 500), and a lone surrogate has no UTF-8
 * form (it would be stored as U+FFFD): both are refused here, as a 400 naming the field.
 */
export const Text = z
  .string()
  .refine((text) => !text.includes('\u0000'), 'must not contain U+0000 (NUL)')
  .refine(isWellFormedUnicode, 'must not contain a lone surrogate (an unpaired UTF-16 code unit)');

/**
 * An integer in a query string or a path: decimal digits, no sign, no leading zero, nothing around
 * them. Number() would read `0x10` as 16, ` 5` as 5 and an empty value as 0; the contract refuses them.
 */
export const DecimalInteger = z
  .string()
  .regex(/^(0|[1-9]\d{0,15})$/, 'must be a non-negative decimal integer')
  .transform(Number)
  .refine(Number.isSafeInteger, 'is too large');
/** A timestamp in an answer, as `Date.toISOString()` writes it. */
export const Timestamp = z.iso.datetime().describe('RFC 3339 UTC, e.g. 2026-11-21T10:00:00.000Z');
