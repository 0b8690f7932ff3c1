import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { pageSchema, PaginationSchema } from '../common/pagination';
import { Rfc3339, Text, Timestamp } from '../common/schemas';
import { CompensationViewSchema } from './compensation.schemas';
import { DOCUMENT_TYPES } from './document-type';
import { LEGAL_REQUEST_KINDS } from './legal-request-kinds';
import { TallySchema } from '../consensus/consensus.schemas';
import { DECISIONS, LEGAL_REQUEST_STATUSES } from './legal-request-status';

/** The largest document accepted, decoded: a scanned order of a few pages. */
export const DOCUMENT_MAX_BYTES = 4 * 1024 * 1024;
/** The body of an upload: the document in base64 (4/3 of its size) and room for the file name. */
export const DOCUMENT_BODY_LIMIT_BYTES = Math.ceil(DOCUMENT_MAX_BYTES / 3) * 4 + 16 * 1024;

const Line = (max: number) => Text.trim().min(1).max(max);

const SelectorSchema = z
  .object({
    address: z.union([z.ipv4(), z.ipv6()]).describe('The IPv4 or IPv6 address the authority names.'),
    at: Rfc3339.describe('The instant, with its offset (Z or ±hh:mm); stored and shown in UTC. A local time without offset is a 400.'),
  })
  .strict();

export const CreateLegalRequestSchema = z
  .object({
    authority: Line(500).describe('Who asks: the court, prosecutor or police unit, as the order names it.'),
    reference: Line(200).describe("The authority's reference for the request."),
    legalBasis: Line(2000).describe('The legal basis the order cites, as free text; GET /legal-requests/legal-bases lists the usual ones.'),
    kind: z.enum(LEGAL_REQUEST_KINDS),
    receivedAt: Rfc3339.describe('When the association received the request, with its offset.'),
    dueAt: Rfc3339.optional().describe('The deadline the order sets, if any.'),
    gagUntil: Rfc3339.optional().describe('Until when the member concerned may not be told, if the order says so.'),
    selectors: z.array(SelectorSchema).min(1).max(100),
  })
  .strict();
export type CreateLegalRequestInput = z.infer<typeof CreateLegalRequestSchema>;
export class CreateLegalRequestDto extends createZodDto(CreateLegalRequestSchema) {}

export const CreatedLegalRequestSchema = z.object({ id: z.uuid(), status: z.literal('received') }).meta({ id: 'CreatedLegalRequest' });

const DocumentViewSchema = z
  .object({
    id: z.uuid(),
    filename: z.string(),
    contentType: z.enum(DOCUMENT_TYPES).describe('Read from the bytes, whatever was declared.'),
    size: z.number().int().min(1),
    attachedAt: Timestamp,
  })
  .meta({ id: 'LegalRequestDocument' });
export type DocumentView = z.infer<typeof DocumentViewSchema>;

const SummaryShape = {
  id: z.uuid(),
  status: z.enum(LEGAL_REQUEST_STATUSES).describe('received → under-review (a decision proposal is open) → decided → answered → closed.'),
  decision: z.enum(DECISIONS).nullable().describe('The adopted decision, once decided.'),
  authority: z.string(),
  reference: z.string(),
  legalBasis: z.string(),
  kind: z.enum(LEGAL_REQUEST_KINDS),
  receivedAt: Timestamp,
  dueAt: Timestamp.nullable(),
  gagUntil: Timestamp.nullable(),
  createdAt: Timestamp,
  decidedAt: Timestamp.nullable(),
  answeredAt: Timestamp.nullable(),
  closedAt: Timestamp.nullable(),
};

export const LegalRequestSummarySchema = z.object(SummaryShape).meta({ id: 'LegalRequestSummary' });
export type LegalRequestSummary = z.infer<typeof LegalRequestSummarySchema>;

const SelectorViewSchema = z.object({ address: z.string(), at: Timestamp }).strict().meta({ id: 'LegalRequestSelector' });

export const DecisionProposalViewSchema = z
  .object({
    id: z.uuid().describe("The proposal's id: GET /proposals/{id} shows its positions."),
    decision: z.enum(DECISIONS),
    rationale: z.string(),
    status: z.enum(['open', 'adopted', 'rejected']),
    tally: TallySchema.nullable().describe('Set once closed.'),
    openedAt: Timestamp,
    closedAt: Timestamp.nullable(),
  })
  .meta({ id: 'LegalRequestDecisionProposal' });
export type DecisionProposalView = z.infer<typeof DecisionProposalViewSchema>;

/** One entry per selector, with exactly these keys: whatever else is held (e-mail, other addresses, CPE) is never disclosed. */
export const DisclosureEntrySchema = z
  .discriminatedUnion('result', [
    z
      .object({
        selector: SelectorViewSchema,
        result: z.literal('match'),
        memberNumber: z.number().int(),
        legalName: z.string(),
        verifiedContact: z.object({ method: z.enum(['sms', 'postal']), value: z.string(), verifiedAt: Timestamp }).strict(),
      })
      .strict(),
    z.object({ selector: SelectorViewSchema, result: z.literal('no-match') }).strict().describe('Nobody held the address at that instant (or that history is purged), or its holder has no verified identity.'),
    z.object({ selector: SelectorViewSchema, result: z.literal('no-data') }).strict().describe('A traffic-data request: no traffic data is held.'),
  ])
  .meta({ id: 'LegalDisclosureEntry' });
export type DisclosureEntry = z.infer<typeof DisclosureEntrySchema>;

export const DisclosureAnswerSchema = z.array(DisclosureEntrySchema).meta({ id: 'LegalDisclosure', description: "One entry per selector, in the request's order, and nothing else." });

export const LegalRequestViewSchema = z
  .object({
    ...SummaryShape,
    selectors: z.array(SelectorViewSchema),
    documents: z.array(DocumentViewSchema),
    decisionProposal: DecisionProposalViewSchema.nullable().describe("The latest decision proposal of the ccj circle on the request (a rejected one may be followed by another); null before the first."),
    disclosures: z.array(DisclosureEntrySchema).describe('What was disclosed, once a comply decision is executed: the answer as POST /legal-requests/{id}/disclosures gave it.'),
    disclosedAt: Timestamp.nullable(),
    disclosureLedgerIndex: z.number().int().min(0).nullable().describe('The index of the `legal-request.disclosed` ledger entry; the answer PDF cites it with a signed checkpoint covering it.'),
    disclosureStatement: z.string().nullable().describe('What the answer states besides its entries: for a traffic-data request, that no traffic data is held.'),
    compensation: CompensationViewSchema.nullable().describe('What the authority owes for the request, once recorded (PUT /legal-requests/{id}/compensation).'),
  })
  .meta({ id: 'LegalRequest' });
export type LegalRequestView = z.infer<typeof LegalRequestViewSchema>;

export const LegalRequestPageSchema = pageSchema(LegalRequestSummarySchema, 'LegalRequestPage', {}, 'Legal requests, latest received first; nearest deadline first with dueBefore.');
export const ListLegalRequestsSchema = PaginationSchema.extend({
  status: z.enum(LEGAL_REQUEST_STATUSES).optional().describe('Only the requests in this status.'),
  dueBefore: Rfc3339.optional().describe('Only the requests with a deadline before this instant, nearest deadline first.'),
});
export type ListLegalRequestsQuery = z.infer<typeof ListLegalRequestsSchema>;
export class ListLegalRequestsDto extends createZodDto(ListLegalRequestsSchema) {}

export const LegalBasesSchema = z
  .object({
    jurisdiction: z.enum(['be', 'fr']).describe('LANTERNE_JURISDICTION'),
    items: z.array(
      z.object({
        code: z.string(),
        label: z.string(),
        kinds: z.array(z.enum(LEGAL_REQUEST_KINDS)),
        source: z.object({ citation: z.string(), url: z.url().optional() }),
      }),
    ),
  })
  .meta({ id: 'LegalBases' });
export type LegalBasesView = z.infer<typeof LegalBasesSchema>;

export const AttachDocumentSchema = z
  .object({
    filename: Line(255).describe('The file name, for people; sealed with the document.'),
    contentBase64: z
      .base64()
      .min(1)
      .transform((text) => Buffer.from(text, 'base64'))
      .refine((bytes) => bytes.length <= DOCUMENT_MAX_BYTES, `must decode to at most ${DOCUMENT_MAX_BYTES} bytes`)
      .describe(`The file in base64 (RFC 4648), at most ${DOCUMENT_MAX_BYTES} bytes decoded: PDF, PNG or JPEG, read from its bytes.`),
  })
  .strict();
export type AttachDocumentInput = z.infer<typeof AttachDocumentSchema>;
export class AttachDocumentDto extends createZodDto(AttachDocumentSchema) {}

export const DocumentFileSchema = z.unknown().describe('The document as attached: PDF, PNG or JPEG, with its content type.');

export const DecisionProposalSchema = z
  .object({
    decision: z.enum(DECISIONS).describe('What the circle is asked to adopt: comply (disclose), contest or refuse.'),
    rationale: Line(5000).describe('Why: shown to the circle with the request, kept with the decision.'),
    quorum: z.number().int().min(1).max(1000).optional().describe('How many consents adopt it (default 2).'),
    closesAt: Rfc3339.optional().describe('When it closes by itself if no one closes it before; in the future.'),
    blind: z.boolean().optional().describe("Hide the others' positions from a participant until they have taken theirs or the proposal is closed."),
  })
  .strict();
export type DecisionProposalInput = z.infer<typeof DecisionProposalSchema>;
export class DecisionProposalDto extends createZodDto(DecisionProposalSchema) {}

export const OpenedDecisionSchema = z.object({ id: z.uuid(), status: z.literal('open'), decision: z.enum(DECISIONS) }).meta({ id: 'OpenedLegalDecision' });
export type OpenedDecision = z.infer<typeof OpenedDecisionSchema>;

export const AnswerPdfSchema = z.unknown().describe('The answer to the authority, A4, to print and send.');
