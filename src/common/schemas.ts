import { z } from 'zod';

/** RFC 3339 timestamps with an offset, turned into Dates. */
export const Rfc3339 = z.iso
  .datetime({ offset: true })
  .transform((text) => new Date(text))
  .describe('RFC 3339 timestamp, e.g. 2026-11-21T10:00:00Z');

export const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);

/** A timestamp in an answer, as `Date.toISOString()` writes it. */
export const Timestamp = z.iso.datetime().describe('RFC 3339 UTC, e.g. 2026-11-21T10:00:00.000Z');
