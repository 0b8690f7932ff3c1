import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageSchema, PaginationSchema } from '../common/pagination';
import { Timestamp } from '../common/schemas';
import { OUTBOX_CHANNELS, OUTBOX_MESSAGE_KINDS } from './outbox-message';
import { OUTBOX_STATUSES } from './outbox.store';

export const ListMessagesSchema = PaginationSchema.extend({
  status: z.enum(OUTBOX_STATUSES).optional(),
  kind: z.enum(OUTBOX_MESSAGE_KINDS).optional(),
  ref: z.uuid().optional().describe('Only the messages of this verification (or other record they were sent for).'),
});
export type ListMessagesQuery = z.infer<typeof ListMessagesSchema>;
export class ListMessagesDto extends createZodDto(ListMessagesSchema) {}

export const OutboxMessageViewSchema = z
  .object({
    id: z.uuid(),
    kind: z.enum(OUTBOX_MESSAGE_KINDS),
    channel: z.enum(OUTBOX_CHANNELS),
    ref: z.uuid().describe('What the message was sent for: a verification id for verification-code.'),
    status: z.enum(OUTBOX_STATUSES).describe('queued (tries go on) → sent, failed (no try left) or dropped (nothing to send any more).'),
    attempts: z.number().int().min(0).describe('Tries made.'),
    lastError: z.string().nullable().describe('Why the last try failed (an HTTP status, an SMTP code, a system error code); null once sent.'),
    createdAt: Timestamp,
    sentAt: Timestamp.nullable(),
    failedAt: Timestamp.nullable(),
    droppedAt: Timestamp.nullable(),
  })
  .meta({ id: 'OutboxMessage', description: 'How sending one message went. Never its address nor its content, which the outbox does not keep.' });
export type OutboxMessageView = z.infer<typeof OutboxMessageViewSchema>;
export const OutboxMessagePageSchema = pageSchema(OutboxMessageViewSchema, 'OutboxMessagePage');
