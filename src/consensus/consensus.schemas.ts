import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Rfc3339, Text, Timestamp } from '../common/schemas';
import { CIRCLES, POSITIONS } from './consensus-rules';

const CalendarDate = z.iso.date().describe('A calendar date, YYYY-MM-DD.');
const CircleSchema = z.enum(CIRCLES).describe('`ccj`: the legal-requests committee; `board`: the board, for its other decisions.');

export const AccreditationSchema = z
  .object({
    grantedOn: CalendarDate,
    expiresOn: CalendarDate.describe('The last day the accreditation holds; after it, the member may no longer take a position on or execute a legal decision.'),
    authority: Text.trim().min(1).max(200).describe('Who granted it (the general assembly, a board decision...).'),
  })
  .strict();
export type AccreditationInput = z.infer<typeof AccreditationSchema>;
export class AccreditationDto extends createZodDto(AccreditationSchema) {}

export const AddMemberSchema = z
  .object({
    accountId: z.uuid().describe('The account joining the circle (it needs the ccj role to join the ccj circle).'),
    accreditation: AccreditationSchema.optional().describe('Required in the ccj circle, refused in the board.'),
  })
  .strict();
export type AddMemberInput = z.infer<typeof AddMemberSchema>;
export class AddMemberDto extends createZodDto(AddMemberSchema) {}

export const MemberViewSchema = z
  .object({
    accountId: z.uuid(),
    name: z.string(),
    joinedAt: Timestamp,
    accreditation: z.object({ grantedOn: z.string(), expiresOn: z.string(), authority: z.string(), expired: z.boolean() }).nullable(),
  })
  .meta({ id: 'CircleMember', description: 'A current member of a circle, with the accreditation of a ccj member.' });
export type MemberView = z.infer<typeof MemberViewSchema>;

export const MemberListSchema = z.object({ circle: CircleSchema, items: z.array(MemberViewSchema) }).meta({ id: 'CircleMembers' });
export type MemberList = z.infer<typeof MemberListSchema>;

export const OpenProposalSchema = z
  .object({
    title: Text.trim().min(1).max(200),
    body: Text.trim().min(1).max(20000),
    circle: CircleSchema,
    quorum: z.number().int().min(1).max(1000).default(2).describe('How many consents adopt it (default 2).'),
    blind: z.boolean().default(false).describe("Hide the others' positions from a participant until they have taken theirs or the proposal is closed."),
    closesAt: Rfc3339.optional().describe('When it closes by itself, if no one closes it before.'),
  })
  .strict();
export type OpenProposalInput = z.infer<typeof OpenProposalSchema>;
export class OpenProposalDto extends createZodDto(OpenProposalSchema) {}

export const OpenedProposalSchema = z.object({ id: z.uuid(), status: z.literal('open') }).meta({ id: 'OpenedProposal' });

export const TakePositionSchema = z
  .object({
    position: z.enum(POSITIONS),
    reason: Text.trim().min(1).max(5000).optional().describe('Required for `concern` and `block`.'),
  })
  .strict()
  .refine((input) => input.reason !== undefined || (input.position !== 'concern' && input.position !== 'block'), {
    path: ['reason'],
    message: 'required for concern and block',
  });
export type TakePositionInput = z.infer<typeof TakePositionSchema>;
export class TakePositionDto extends createZodDto(TakePositionSchema) {}

export const TallySchema = z.object({ consent: z.number().int(), concern: z.number().int(), standAside: z.number().int(), block: z.number().int() }).meta({ id: 'ProposalTally' });

const PositionEntrySchema = z.object({ position: z.enum(POSITIONS), reason: z.string().nullable(), takenAt: Timestamp });

export const PositionViewSchema = z
  .object({
    accountId: z.uuid(),
    name: z.string(),
    position: z.enum(POSITIONS),
    reason: z.string().nullable(),
    takenAt: Timestamp,
    history: z.array(PositionEntrySchema).describe('Earlier positions of the same person, oldest first.'),
  })
  .meta({ id: 'ProposalPosition' });
export type PositionView = z.infer<typeof PositionViewSchema>;

export const ProposalViewSchema = z
  .object({
    id: z.uuid(),
    title: z.string(),
    body: z.string(),
    circle: CircleSchema,
    quorum: z.number().int(),
    blind: z.boolean(),
    closesAt: Timestamp.nullable(),
    status: z.enum(['open', 'adopted', 'rejected']),
    openedAt: Timestamp,
    closedAt: Timestamp.nullable(),
    tally: TallySchema.nullable().describe('Set once closed.'),
    positionsHidden: z.boolean().describe('True on a blind proposal still open to a caller who has not taken a position: `positions` is then empty.'),
    positions: z.array(PositionViewSchema),
    undecided: z.array(z.object({ accountId: z.uuid(), name: z.string() })).describe('Current members of the circle without a position yet.'),
  })
  .meta({ id: 'Proposal' });
export type ProposalView = z.infer<typeof ProposalViewSchema>;

export const ClosedProposalSchema = z.object({ status: z.enum(['adopted', 'rejected']), tally: TallySchema }).meta({ id: 'ClosedProposal' });
export type ClosedProposal = z.infer<typeof ClosedProposalSchema>;
