import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { CreateAccountSchema } from '../auth/auth.schemas';
import { ROLES, Role } from '../common/access';
import { DecimalInteger } from '../common/schemas';
import { ProposePrivilegeSchema } from '../governance/governance.schemas';
import { SetPolicySchema } from '../privacy/retention.schemas';
import { FormToken } from './web.schemas';

/**
 * The admin pages' forms, read into the API's own inputs: each form's flat strings are shaped as the
 * API's body (its token set aside, empty fields left out, checkboxes gathered), then parsed by the
 * API's schema, so a form and the API refuse the same things, under the same field names.
 */

/** A form field left empty is a field not given. */
function given(fields: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1].trim() !== ''));
}

/** One checkbox per role (`role-technician=on`): the pages' forms repeat no field name. */
export const roleField = (role: Role) => `role-${role}` as const;
const RoleBoxes = Object.fromEntries(ROLES.map((role) => [roleField(role), z.literal('on').optional()])) as Record<ReturnType<typeof roleField>, z.ZodOptional<z.ZodLiteral<'on'>>>;

export const CreateAccountFormSchema = z
  .object({ ...FormToken, ...RoleBoxes, name: z.string(), email: z.string().optional(), subscriberId: z.string().optional(), language: z.string().optional() })
  .strict()
  .transform((form) => ({
    ...given({ email: form.email, subscriberId: form.subscriberId, language: form.language }),
    name: form.name,
    roles: ROLES.filter((role) => form[roleField(role)] === 'on'),
  }))
  .pipe(CreateAccountSchema);
export class CreateAccountFormDto extends createZodDto(CreateAccountFormSchema) {}

export const SetPolicyFormSchema = z
  .object({ ...FormToken, days: DecimalInteger, justification: z.string().optional() })
  .strict()
  .transform((form) => ({ days: form.days, ...given({ justification: form.justification }) }))
  .pipe(SetPolicySchema);
export class SetPolicyFormDto extends createZodDto(SetPolicyFormSchema) {}

export const ProposePrivilegeFormSchema = z
  .object({ ...FormToken, accountId: z.string(), role: z.string(), change: z.string(), rationale: z.string() })
  .strict()
  .transform(({ _csrf, ...fields }) => fields)
  .pipe(ProposePrivilegeSchema);
export class ProposePrivilegeFormDto extends createZodDto(ProposePrivilegeFormSchema) {}

/** After a proposal is opened, the page says which. */
export const PrivilegesPageSchema = z.object({ proposed: z.uuid().optional() }).strict();
export class PrivilegesPageDto extends createZodDto(PrivilegesPageSchema) {}
