/**
 * The category map: what the association holds about a member, why, on which legal ground, from
 * whom, for whom and for how long (GDPR art. 13 and 15(1) a–h), as data per jurisdiction
 * (data-maps/*.json) beside the retention profiles, whose figures it points to. The export and the
 * public data map are both built from it. No Nest or database imports.
 */
import { z } from 'zod';
import { Jurisdiction, JurisdictionProfile } from './jurisdiction-profiles';
import be from './data-maps/be.json';
import fr from './data-maps/fr.json';

const Line = z.string().trim().min(1);
const Source = z.object({ citation: Line, url: z.url().optional() }).strict();

const RetentionSchema = z.union([
  z
    .object({
      /** A category of the jurisdiction profile: its figure (or an admin's override) is the one in force. */
      policy: z.string().regex(/^[a-z][a-z-]*$/),
      /** The event the days are counted from, as a date field of the export's items. */
      from: z
        .object({
          section: Line,
          field: Line,
          /** Only the items where `field` holds `equals` are counted by this policy (a pending verification). */
          only: z.object({ field: Line, equals: z.string() }).strict().optional(),
        })
        .strict(),
    })
    .strict(),
  z.object({ kept: Line }).strict(),
]);

const CategorySchema = z
  .object({
    what: Line,
    /** Where it appears in the export (parts of GET /me/data); empty when it is not repeated there, and `what` says why. */
    sections: z.array(Line),
    purpose: Line,
    legalBasis: z.object({ article: z.string().regex(/^GDPR art\. 6\(1\)/), ground: Line }).strict(),
    source: Line,
    recipients: z.array(Line).min(1),
    retention: RetentionSchema,
    /** Whether an adopted legal request can make the association give it (identification only). */
    compellable: z.boolean(),
  })
  .strict();
export type DataCategory = z.infer<typeof CategorySchema>;

const Compellable = z.object({ statement: Line, source: Source }).strict();

const DataMapSchema = z
  .object({
    jurisdiction: z.enum(['be', 'fr']),
    supervisoryAuthority: z.object({ name: Line, url: z.url() }).strict(),
    rights: Line,
    automatedDecisions: Line,
    compellable: z.object({ identification: Compellable, trafficData: Compellable, interception: Compellable }).strict(),
    categories: z.record(z.string().regex(/^[a-z][a-z-]*$/), CategorySchema),
  })
  .strict();
export type DataMap = z.infer<typeof DataMapSchema>;

const FILES: Record<Jurisdiction, unknown> = { be, fr };

export function loadDataMap(jurisdiction: Jurisdiction): DataMap {
  const parsed = DataMapSchema.safeParse(FILES[jurisdiction]);
  if (!parsed.success) throw new Error(`Data map ${jurisdiction}: ${z.prettifyError(parsed.error)}`);
  if (parsed.data.jurisdiction !== jurisdiction) throw new Error(`Data map ${jurisdiction}.json says it is the map of ${parsed.data.jurisdiction}`);
  return parsed.data;
}

/**
 * What start-up refuses: a part of the export that no category explains (it would be held without a
 * stated purpose), a category naming a part that does not exist, a policy the profile has no figure
 * for, or a retention counted from a part the category does not cover.
 */
export function dataMapDefects(map: DataMap, profile: JurisdictionProfile, parts: readonly string[]): string[] {
  const defects: string[] = [];
  const known = new Set(parts);
  const explained = new Set<string>();
  for (const [name, category] of Object.entries(map.categories)) {
    for (const section of category.sections) {
      if (!known.has(section)) defects.push(`${name} appears in ${section}, which is no part of the export`);
      explained.add(section);
    }
    const { retention } = category;
    if ('policy' in retention) {
      if (!Object.hasOwn(profile.categories, retention.policy)) defects.push(`${name} is kept under ${retention.policy}, which the ${profile.jurisdiction} profile has no figure for`);
      if (!known.has(retention.from.section)) defects.push(`${name} counts its retention from ${retention.from.section}, which is no part of the export`);
    }
  }
  for (const part of parts) if (!explained.has(part)) defects.push(`${part} is in the export but no category of the map explains it`);
  return defects;
}

export function assertDataMapSound(map: DataMap, profile: JurisdictionProfile, parts: readonly string[]): void {
  const defects = dataMapDefects(map, profile, parts);
  if (defects.length > 0) throw new Error(`Data map ${map.jurisdiction}: ${defects.join('; ')}`);
}

const DAY_MS = 24 * 3600 * 1000;

export interface ItemDate {
  /** The item's id, when the part is a list. */
  id?: string;
  /**
   * The instant after which the item is past its policy (the first daily run after it erases it);
   * null while its starting event has not happened (a membership not terminated, a current assignment).
   */
  keptUntil: string | null;
}

/**
 * The retention date of each item a category covers: its starting event (a date field) plus the days
 * in force. `items` is the part's value: one object, or a list of objects with ids.
 */
export function retentionDates(from: { field: string; only?: { field: string; equals: string } }, days: number, items: unknown): ItemDate[] {
  const list = Array.isArray(items) ? items : items === null || items === undefined ? [] : [items];
  return list
    .filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null)
    .filter((item) => !from.only || item[from.only.field] === from.only.equals)
    .map((item) => {
      const start = item[from.field];
      const keptUntil = typeof start === 'string' ? new Date(new Date(start).getTime() + days * DAY_MS).toISOString() : null;
      return { ...(Array.isArray(items) && typeof item.id === 'string' ? { id: item.id } : {}), keptUntil };
    });
}
