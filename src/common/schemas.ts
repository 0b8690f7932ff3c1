import { z } from 'zod';

/** RFC 3339 timestamps with an offset, turned into Dates. */
export const Rfc3339 = z.iso
  .datetime({ offset: true })
  .transform((text) => new Date(text))
  .describe('RFC 3339 timestamp, e.g. 2026-11-21T10:00:00Z');

export const iso = (date: Date | null | undefined): string | null => (date ? date.toISOString() : null);
