import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { DecimalInteger, Timestamp } from '../common/schemas';
import { PROVISIONING_CHANGE_KINDS } from './provisioning-change';

export const ChangeFeedQuerySchema = z
  .object({
    since: DecimalInteger.prefault('0').describe('The last sequence number already applied (`next` of the previous page); 0 for the whole feed.'),
    limit: DecimalInteger.pipe(z.number().min(1).max(500)).prefault('100').describe('Page size, 1..500.'),
  })
  .strict();
export type ChangeFeedQuery = z.infer<typeof ChangeFeedQuerySchema>;
export class ChangeFeedQueryDto extends createZodDto(ChangeFeedQuerySchema) {}

export const ChangeViewSchema = z
  .object({
    seq: z.number().int().min(1).describe('Position in the feed; increases with every change, with gaps where a transaction rolled back.'),
    kind: z.enum(PROVISIONING_CHANGE_KINDS),
    subscriptionId: z.uuid(),
    details: z
      .record(z.string(), z.string().nullable())
      .describe('Network values only: `{assignmentId, poolId, prefix}`, `{assignmentId, prefix, validUntil}`, `{assignmentId, address, ptr}` (ptr null when cleared), or a peer\'s `{peerType, publicKey}`.'),
    at: Timestamp,
  })
  .meta({ id: 'ProvisioningChange', description: 'One change routers must apply.' });

export const ChangeFeedViewSchema = z
  .object({
    items: z.array(ChangeViewSchema).describe('Changes after `since`, oldest first.'),
    next: z.number().int().min(0).describe('What to pass as `since` next time: the last seq of this page, or `since` itself when it is empty.'),
  })
  .meta({ id: 'ProvisioningChangeFeed', description: 'One page of the change feed; a page shorter than `limit` means the router has caught up.' });
export type ChangeFeedView = z.infer<typeof ChangeFeedViewSchema>;
