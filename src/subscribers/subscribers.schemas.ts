import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageSchema, PaginationSchema } from '../common/pagination';
import { Rfc3339, Text, Timestamp } from '../common/schemas';
import { SERVICES, SUBSCRIPTION_STATUSES } from './subscription.entity';
import { SUBSCRIBER_STATUSES } from './subscriber.entity';

export const DisplayName = Text.trim().min(1).max(200).describe('How the member is called day to day; not their legal name.');
export const Email = z.email().max(320).transform((email) => email.toLowerCase()).describe('Operational contact address.');
export const Language = Text.regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'must be a language tag such as fr, nl, en or fr-BE')
  .describe('Language for letters and messages (BCP 47), default fr.');

export const CreateSubscriberSchema = z
  .object({ displayName: DisplayName, email: Email, language: Language.default('fr') })
  .strict();
export type CreateSubscriberInput = z.infer<typeof CreateSubscriberSchema>;
export class CreateSubscriberDto extends createZodDto(CreateSubscriberSchema) {}

export const UpdateSubscriberSchema = z
  .object({
    displayName: DisplayName.optional(),
    email: Email.optional(),
    language: Language.optional(),
    status: z.enum(['active', 'suspended']).optional().describe('Activate or suspend; termination has its own route.'),
  })
  .strict()
  .refine((patch) => Object.keys(patch).length > 0, { message: 'nothing to change', path: [] });
export type UpdateSubscriberInput = z.infer<typeof UpdateSubscriberSchema>;
export class UpdateSubscriberDto extends createZodDto(UpdateSubscriberSchema) {}

export const AtSchema = z.object({ at: Rfc3339.optional().describe('When it took effect; defaults to now, may lie in the past.') }).strict();
export class AtDto extends createZodDto(AtSchema) {}

export const ListSubscribersSchema = PaginationSchema.extend({
  status: z.enum(SUBSCRIBER_STATUSES).optional(),
  q: Text.trim().min(1).max(200).optional().describe('Member number, or part of the display name or email.'),
});
export type ListSubscribersQuery = z.infer<typeof ListSubscribersSchema>;
export class ListSubscribersDto extends createZodDto(ListSubscribersSchema) {}

export const SubscriberViewSchema = z
  .object({
    id: z.uuid(),
    memberNumber: z.number().int().describe('Given in order of registration, never reused.'),
    displayName: z.string().nullable().describe('Null once retention has erased it.'),
    email: z.email().nullable().describe('Null once retention has erased it.'),
    language: z.string(),
    status: z.enum(SUBSCRIBER_STATUSES).describe('pending → active ⇄ suspended → terminated.'),
    createdAt: Timestamp,
    terminatedAt: Timestamp.nullable().describe('Null until the membership is terminated.'),
    erasedAt: Timestamp.nullable().describe('When retention erased the display name and e-mail, once the membership was terminated for its policy.'),
  })
  .meta({ id: 'Subscriber', description: 'A member: operational data only.' });
export type SubscriberView = z.infer<typeof SubscriberViewSchema>;
export const SubscriberPageSchema = pageSchema(SubscriberViewSchema, 'SubscriberPage');

export const CreateSubscriptionSchema = z
  .object({
    subscriberId: z.uuid(),
    service: z.enum(SERVICES),
    startsAt: Rfc3339.optional().describe('Defaults to now; may lie in the past for migrated history.'),
  })
  .strict();
export type CreateSubscriptionInput = z.infer<typeof CreateSubscriptionSchema>;
export class CreateSubscriptionDto extends createZodDto(CreateSubscriptionSchema) {}

export const ListSubscriptionsSchema = PaginationSchema.extend({
  subscriberId: z.uuid().optional(),
  status: z.enum(SUBSCRIPTION_STATUSES).optional(),
});
export type ListSubscriptionsQuery = z.infer<typeof ListSubscriptionsSchema>;
export class ListSubscriptionsDto extends createZodDto(ListSubscriptionsSchema) {}

export const SubscriptionViewSchema = z
  .object({
    id: z.uuid(),
    subscriberId: z.uuid(),
    service: z.enum(SERVICES),
    status: z.enum(SUBSCRIPTION_STATUSES),
    startsAt: Timestamp,
    endsAt: Timestamp.nullable().describe('Null while the subscription is active.'),
  })
  .meta({ id: 'Subscription', description: 'A subscription of a member to a service.' });
export type SubscriptionView = z.infer<typeof SubscriptionViewSchema>;
export const SubscriptionPageSchema = pageSchema(SubscriptionViewSchema, 'SubscriptionPage');
