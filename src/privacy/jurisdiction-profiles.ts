/**
 * The retention figures of each jurisdiction, kept as data (profiles/*.json) with the source of each
 * figure beside it. No Nest or database imports.
 */
import { z } from 'zod';
import be from './profiles/be.json';
import fr from './profiles/fr.json';

export const JURISDICTIONS = ['be', 'fr'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

const Citation = z.string().trim().min(1);

const FigureSchema = z
  .object({
    /** How long after `from` the data is kept; 0 is "at that event". */
    days: z.number().int().min(0).max(36500),
    /** The figure as the source states it ("12 months", "5 years"). */
    figure: z.string().min(1),
    /** The event the days are counted from. */
    from: z.string().min(1),
    source: z.object({ citation: Citation, url: z.url().optional() }).strict(),
    /** How Lanterne reads the source where it had to choose (a starting event, days for years). */
    note: z.string().min(1).optional(),
  })
  .strict();
export type ProfileFigure = z.infer<typeof FigureSchema>;

const ProfileSchema = z
  .object({
    jurisdiction: z.enum(JURISDICTIONS),
    name: z.string().min(1),
    categories: z.record(z.string().regex(/^[a-z][a-z-]*$/), FigureSchema),
  })
  .strict();
export type JurisdictionProfile = z.infer<typeof ProfileSchema>;

const FILES: Record<Jurisdiction, unknown> = { be, fr };

/** The profile of a jurisdiction, checked against its schema and against the file it came from. */
export function loadProfile(jurisdiction: Jurisdiction): JurisdictionProfile {
  const parsed = ProfileSchema.safeParse(FILES[jurisdiction]);
  if (!parsed.success) throw new Error(`Retention profile ${jurisdiction}: ${z.prettifyError(parsed.error)}`);
  if (parsed.data.jurisdiction !== jurisdiction) throw new Error(`Retention profile ${jurisdiction}.json says it is the profile of ${parsed.data.jurisdiction}`);
  return parsed.data;
}

/** The categories of `categories` that the profile gives no figure for (each figure has a source: the schema requires it). */
export function categoriesWithoutFigure(profile: JurisdictionProfile, categories: readonly string[]): string[] {
  return categories.filter((category) => !Object.hasOwn(profile.categories, category));
}

/** Start-up refuses a profile that leaves a retention category without a figure and its source. */
export function assertProfileCovers(profile: JurisdictionProfile, categories: readonly string[]): void {
  const missing = categoriesWithoutFigure(profile, categories);
  if (missing.length > 0) throw new Error(`Retention profile ${profile.jurisdiction} has no figure for: ${missing.join(', ')}`);
}
