import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Rfc3339, Timestamp } from '../common/schemas';
import { REMINDER_KINDS } from './legal-request-deadlines';

export const ChangeDueAtSchema = z
  .object({ dueAt: Rfc3339.describe('The new deadline, with its offset; stored and shown in UTC.') })
  .strict();
export type ChangeDueAtInput = z.infer<typeof ChangeDueAtSchema>;
export class ChangeDueAtDto extends createZodDto(ChangeDueAtSchema) {}

export const DueAtViewSchema = z
  .object({
    id: z.uuid(),
    dueAt: Timestamp,
    reminded: z.enum(REMINDER_KINDS).nullable().describe('The reminder the ccj circle was sent at once, the new deadline being that near or passed; null if none was due, or it had been sent already.'),
  })
  .meta({ id: 'LegalRequestDueAt' });
export type DueAtView = z.infer<typeof DueAtViewSchema>;
