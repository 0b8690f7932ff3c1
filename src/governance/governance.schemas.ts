import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { PRIVILEGED_ROLES } from '../common/access';
import { PaginationSchema, pageSchema } from '../common/pagination';
import { DecimalInteger, Text, Timestamp } from '../common/schemas';
import { PURPOSE_CATEGORIES } from '../ledger/ledger-entry';

/** What the board grants: a privileged role, or a seat in the board itself. */
export const PRIVILEGES = [...PRIVILEGED_ROLES, 'board'] as const;
export type Privilege = (typeof PRIVILEGES)[number];
export const CHANGES = ['grant', 'revoke'] as const;

export const ProposePrivilegeSchema = z
  .object({
    accountId: z.uuid().describe('The account to grant the privilege to, or to remove it from.'),
    role: z.enum(PRIVILEGES).describe('`admin` or `ccj` (roles), or `board`: a seat in the board circle, which decides these proposals.'),
    change: z.enum(CHANGES),
    rationale: Text.trim().min(1).max(20000).describe("Why: the proposal's body, which the board reads."),
  })
  .strict();
export type ProposePrivilegeInput = z.infer<typeof ProposePrivilegeSchema>;
export class ProposePrivilegeDto extends createZodDto(ProposePrivilegeSchema) {}

export const ProposedPrivilegeSchema = z
  .object({ proposalId: z.uuid().describe('The board proposal: take positions and close it under /proposals/{id}.'), status: z.literal('open') })
  .meta({ id: 'ProposedPrivilege', description: 'A board proposal to grant or remove a privilege, executed by the system once adopted.' });
export type ProposedPrivilege = z.infer<typeof ProposedPrivilegeSchema>;

const Flag = z.enum(['true', 'false']).transform((value) => value === 'true');

export const AdminActionsQuerySchema = PaginationSchema.extend({
  treeSize: DecimalInteger.optional()
    .describe('The view of the log at this size (that of a checkpoint you hold): only entries below it. Defaults to the latest signed checkpoint with proofs, to the whole log without.'),
  proofs: Flag.prefault('false').describe('`true`: each entry carries its inclusion proof in the tree of `treeSize`.'),
});
export type AdminActionsQuery = z.infer<typeof AdminActionsQuerySchema>;
export class AdminActionsQueryDto extends createZodDto(AdminActionsQuerySchema) {}

const Hex32 = z.string().regex(/^[0-9a-f]{64}$/);

export const AdminActionSchema = z
  .object({
    index: z.number().int().min(0).describe('The entry’s index in the ledger.'),
    at: Timestamp,
    role: z.enum(['admin', 'ccj', 'observer', 'system']).describe('The role the action was taken under; `system`: start-up, the command line, or the execution of a board decision.'),
    action: z.string().describe('The ledger action (docs/ledger.md).'),
    subject: z
      .object({ pseudonym: z.string().regex(/^[0-9a-f]{32}$/).nullable().describe('HMAC of the member under a key of their own; null once retention forgot the key.') })
      .optional()
      .describe('Present when the action concerns a member.'),
    purposeCategory: z.enum(PURPOSE_CATEGORIES).optional().describe('What a read was for; the purpose typed with it is never shown.'),
    refs: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string()).readonly()])).describe('The non-personal details this action shows publicly (an allowlist per action).'),
    leafHash: Hex32.describe('SHA-256(0x00 ‖ leaf): what the inclusion proof proves is in the signed log.'),
    inclusionProof: z.array(Hex32).optional().describe('With proofs=true: the RFC 9162 path from leafHash to the root of the tree of treeSize, deepest sibling first.'),
  })
  .meta({ id: 'AdminAction', description: 'One admin, ccj, observer or system action of the ledger, as the public sees it.' });
export type AdminActionView = z.infer<typeof AdminActionSchema>;

export const AdminActionPageSchema = pageSchema(
  AdminActionSchema,
  'AdminActionPage',
  { treeSize: z.number().int().min(0).describe('The tree size this page is a view of: ask the next pages with it, and check the proofs against the checkpoint of that size.') },
  'One page of the public log of admin actions, newest first.',
);
export type AdminActionPage = z.infer<typeof AdminActionPageSchema>;
