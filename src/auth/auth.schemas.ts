import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { ROLES } from '../common/access';
import { Text } from '../common/schemas';
import { pageSchema } from '../common/pagination';

export const RoleSchema = z.enum(ROLES).describe(
  'admin: runs the instance; technician: members and network; ccj: justice-cooperation cell; member: their own data; ' +
    'observer: reads what an admin reads, changes nothing (a new admin, until the board grants the role). admin and ccj are granted by an adopted board proposal.',
);

const Roles = z
  .array(RoleSchema)
  .min(1)
  .refine((roles) => new Set(roles).size === roles.length, 'roles must not repeat');
const SubscriberId = z.uuid().optional().describe('For a member account: the subscriber whose data it may see.');

/** A member account, and only a member account, is bound to the subscriber it may see. */
function withMemberBinding<T extends z.ZodType<{ roles: string[]; subscriberId?: string }>>(schema: T) {
  return schema
    .refine((a) => !a.roles.includes('member') || a.subscriberId !== undefined, {
      path: ['subscriberId'],
      message: 'a member account needs the subscriberId it belongs to',
    })
    .refine((a) => a.subscriberId === undefined || a.roles.includes('member'), {
      path: ['subscriberId'],
      message: 'only a member account is bound to a subscriber',
    });
}

const StaffEmail = z.email().max(254).transform((email) => email.toLowerCase());
const AccountLanguage = z.enum(['fr', 'en']).describe('The language of the messages and pages the account is given.');

export const CreateAccountSchema = withMemberBinding(
  z
    .object({
      name: Text.trim().min(1).max(200).describe('Who holds the account, as colleagues know them.'),
      roles: Roles,
      subscriberId: SubscriberId,
      email: StaffEmail.optional().describe("Where a staff account is told of its circles' proposals and deadlines; the holder may change it (PUT /me/contact)."),
      language: AccountLanguage.optional(),
    })
    .strict(),
).refine((a) => a.email === undefined || !a.roles.includes('member'), { path: ['email'], message: "a member account has no e-mail of its own: the association writes to the subscriber's address" });
export type CreateAccountInput = z.infer<typeof CreateAccountSchema>;
export class CreateAccountDto extends createZodDto(CreateAccountSchema) {}

export const ChangeRolesSchema = withMemberBinding(z.object({ roles: Roles, subscriberId: SubscriberId }).strict());
export type ChangeRolesInput = z.infer<typeof ChangeRolesSchema>;
export class ChangeRolesDto extends createZodDto(ChangeRolesSchema) {}

const BearerToken = z.string().regex(/^lnt_[A-Za-z0-9_-]+$/);

export const IssuedTokenSchema = z
  .object({ token: BearerToken.describe('The new bearer token, shown once; the previous one stops working.') })
  .meta({ id: 'IssuedToken', description: 'A new bearer token for an existing account.' });
export type IssuedToken = z.infer<typeof IssuedTokenSchema>;

export const AccountViewSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    roles: z.array(RoleSchema).min(1),
    subscriberId: z.uuid().optional().describe('Present on a member account only: the subscriber whose data it may see.'),
  })
  .meta({ id: 'Account', description: 'An account (never its token).' });
export type AccountView = z.infer<typeof AccountViewSchema>;
export const AccountPageSchema = pageSchema(AccountViewSchema, 'AccountPage');

export const CreatedAccountSchema = z
  .object({
    id: z.uuid(),
    token: BearerToken.describe('The bearer token, shown once: only its hash is stored.'),
  })
  .meta({ id: 'CreatedAccount', description: 'The new account and its bearer token, shown this once.' });
export type CreatedAccount = z.infer<typeof CreatedAccountSchema>;

export const SetAccountContactSchema = z
  .object({
    email: StaffEmail.nullable().describe("Where the account is told of its circles' proposals and deadlines; null for none."),
    language: AccountLanguage.nullable().describe("null: the association's default."),
  })
  .strict();
export type AccountContact = z.infer<typeof SetAccountContactSchema>;
export class SetAccountContactDto extends createZodDto(SetAccountContactSchema) {}

export const AccountContactSchema = z
  .object({ email: z.email().nullable(), language: AccountLanguage.nullable() })
  .meta({ id: 'AccountContact', description: 'How an account is told of what concerns it.' });
