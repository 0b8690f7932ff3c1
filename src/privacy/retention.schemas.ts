import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Text, Timestamp } from '../common/schemas';
import { JURISDICTIONS } from './jurisdiction-profiles';
import { RETENTION_CATEGORIES, RetentionCategory } from './retention-categories';

export const SetPolicySchema = z
  .object({
    days: z.number().int().min(0).max(36500).describe('How many days after its starting event the category is kept (0: at that event).'),
    justification: Text.trim()
      .min(1)
      .max(2000)
      .optional()
      .describe("Why: required when days exceeds the profile's figure. Recorded in the ledger and shown with the policy; write no personal data in it."),
  })
  .strict();
export type SetPolicyInput = z.infer<typeof SetPolicySchema>;
export class SetPolicyDto extends createZodDto(SetPolicySchema) {}

const ProfileFigureViewSchema = z
  .object({
    days: z.number().int(),
    figure: z.string().describe('The figure as its source states it.'),
    from: z.string().describe('The event the days are counted from.'),
    source: z.object({ citation: z.string(), url: z.url().optional() }),
    note: z.string().optional().describe('How Lanterne reads the source where it had to choose.'),
  })
  .meta({ id: 'RetentionProfileFigure' });

export const PolicyViewSchema = z
  .object({
    category: z.enum(RETENTION_CATEGORIES),
    days: z.number().int().describe('The policy in force: the override if any, else the profile.'),
    profile: ProfileFigureViewSchema,
    override: z
      .object({
        days: z.number().int(),
        justification: z.string().nullable(),
        setBy: z.uuid().nullable().describe('The account that set it.'),
        setAt: Timestamp,
      })
      .nullable(),
  })
  .meta({ id: 'RetentionPolicy', description: "One category's retention: the profile's figure with its source, and an admin's override." });
export type PolicyView = z.infer<typeof PolicyViewSchema>;

export const PolicyListSchema = z
  .object({
    jurisdiction: z.enum(JURISDICTIONS),
    profile: z.string().describe('The jurisdiction profile in force (LANTERNE_JURISDICTION).'),
    items: z.array(PolicyViewSchema),
  })
  .meta({ id: 'RetentionPolicies' });
export type PolicyList = z.infer<typeof PolicyListSchema>;

const PurgedCount = z.number().int().min(0);

export const RunReportSchema = z
  .object({
    purged: z
      .object(Object.fromEntries(RETENTION_CATEGORIES.map((category) => [category, PurgedCount])) as Record<RetentionCategory, typeof PurgedCount>)
      .describe('How many records each category purged.'),
  })
  .meta({ id: 'RetentionRun' });
export type RunReport = z.infer<typeof RunReportSchema>;
