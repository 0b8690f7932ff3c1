import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Timestamp } from '../common/schemas';
import { PURPOSE_CATEGORIES } from '../ledger/ledger-entry';
import { JURISDICTIONS } from './jurisdiction-profiles';
import { RectificationViewSchema } from './rectifications.schemas';

export const FormatSchema = z
  .object({ format: z.enum(['json', 'html']).default('json').describe('json (default): a file to download and keep (GDPR art. 20); html: a page to read.') })
  .strict();
export type FormatQuery = z.infer<typeof FormatSchema>;
export class FormatDto extends createZodDto(FormatSchema) {}

const Citation = z.object({ citation: z.string(), url: z.url().optional() });

const CategoryRetentionSchema = z.union([
  z.object({
    policy: z.string().describe('The retention category of the jurisdiction profile.'),
    days: z.number().int().describe('The days in force: an admin override, else the profile.'),
    figure: z.string().describe('The figure as its source states it.'),
    from: z.string().describe('The event the days are counted from.'),
    source: Citation,
    enforced: z.boolean().describe('False while no purger enforces it yet (legal-request records).'),
  }),
  z.object({ kept: z.string().describe('How long, where no retention category applies (and why).') }),
]);

const DataCategoryViewSchema = z.object({
  category: z.string(),
  what: z.string(),
  sections: z.array(z.string()).describe('Where it appears in the export.'),
  purpose: z.string(),
  legalBasis: z.object({ article: z.string().describe('The GDPR art. 6 ground.'), ground: z.string() }),
  source: z.string().describe('Where the data comes from (GDPR art. 15(1)(g)).'),
  recipients: z.array(z.string()),
  compellable: z.boolean().describe('Whether an adopted legal request can make the association give it.'),
  retention: CategoryRetentionSchema,
});

const CompellableSchema = z.object({ statement: z.string(), source: Citation });

export const DataMapViewSchema = z
  .object({
    jurisdiction: z.enum(JURISDICTIONS),
    profile: z.string(),
    supervisoryAuthority: z.object({ name: z.string(), url: z.url() }),
    rights: z.string(),
    automatedDecisions: z.string(),
    compellable: z.object({ identification: CompellableSchema, trafficData: CompellableSchema, interception: CompellableSchema }),
    categories: z.array(DataCategoryViewSchema),
  })
  .meta({ id: 'DataMap', description: 'What the association holds about its members, why, for how long, and what it can be compelled to give.' });
export type DataMapView = z.infer<typeof DataMapViewSchema>;

const MemberRetentionSchema = DataCategoryViewSchema.extend({
  dates: z
    .array(z.object({ id: z.uuid().optional(), keptUntil: Timestamp.nullable().describe('Null while the starting event has not happened.') }))
    .describe('For each item the category covers, the date after which the next daily run erases it.'),
});

export const AccessLogEntrySchema = z
  .object({
    index: z.number().int().describe("The ledger entry's index: its inclusion proof is public."),
    at: Timestamp,
    actorRole: z.string().describe('Under which role it was done (admin, technician, ccj, member, system); never who.'),
    action: z.string(),
    purposeCategory: z.string().nullable().describe(`One of ${PURPOSE_CATEGORIES.join(', ')}; null when the action needed no purpose.`),
    purpose: z.string().nullable().describe('Why, as typed; null when none was needed or retention erased it.'),
    purposeErased: z.boolean(),
  })
  .meta({ id: 'AccessLogEntry' });

const Items = (description: string) => z.array(z.record(z.string(), z.unknown())).describe(description);

export const MemberDataSchema = z
  .object({
    subscriber: z
      .looseObject({ id: z.uuid(), memberNumber: z.number().int(), rectifications: z.array(RectificationViewSchema) })
      .describe('The subscriber record (operational data), with the rectifications asked for.'),
    identity: z
      .object({
        legalName: z.string().nullable(),
        verifiedContact: z.object({ method: z.enum(['sms', 'postal']), value: z.string(), verifiedAt: Timestamp }),
      })
      .nullable()
      .describe('The legal identity, decrypted for the member; reading it is recorded (identity.read, member-request).'),
    subscriptions: Items('Every subscription.'),
    cpe: Items('Every loan of a device to one of the subscriptions.'),
    ipAssignments: Items('Every IP assignment still retained, current and ended, each with its reverse DNS names.'),
    tunnels: Items('Tunnel settings and CPE peer of each subscription.'),
    verifications: Items('Every identity verification (status and dates).'),
    legalRequests: Items('Legal requests concerning the member whose gag has passed.'),
    accessLog: z.array(AccessLogEntrySchema).describe('Every ledger entry whose subject is the member: when, which role, what, why.'),
    retention: z.array(MemberRetentionSchema).describe('For each data category: purpose, legal basis, source, recipients, and until when it is kept.'),
  })
  .meta({ id: 'MemberData', description: 'Everything the association holds about the member (GDPR art. 15 and 20).' });
export type MemberData = z.infer<typeof MemberDataSchema>;
export type MemberRetention = z.infer<typeof MemberRetentionSchema>;
