/**
 * The legal bases a request usually cites, per jurisdiction, kept as data (legal-bases/*.json) with
 * the source of each. A request states its basis as free text (an order may cite anything); this
 * list helps the circle recognise it. No Nest or database imports.
 */
import { z } from 'zod';
import be from './legal-bases/be.json';
import fr from './legal-bases/fr.json';
import { LEGAL_REQUEST_KINDS } from './legal-request-kinds';

export const LegalBasisSchema = z
  .object({
    code: z.string().regex(/^[a-z]{2}-[a-z0-9-]+$/),
    label: z.string().min(1),
    /** The kinds of request the basis allows. */
    kinds: z.array(z.enum(LEGAL_REQUEST_KINDS)).min(1),
    source: z.object({ citation: z.string().trim().min(1), url: z.url().optional() }).strict(),
  })
  .strict();
export type LegalBasis = z.infer<typeof LegalBasisSchema>;

const LegalBasesFileSchema = z.object({ jurisdiction: z.enum(['be', 'fr']), bases: z.array(LegalBasisSchema).min(1) }).strict();
type LegalBasesJurisdiction = z.infer<typeof LegalBasesFileSchema>['jurisdiction'];

const FILES: Record<LegalBasesJurisdiction, unknown> = { be, fr };

/** The known bases of a jurisdiction, checked against their schema and against the file they came from. */
export function loadLegalBases(jurisdiction: LegalBasesJurisdiction): LegalBasis[] {
  const parsed = LegalBasesFileSchema.safeParse(FILES[jurisdiction]);
  if (!parsed.success) throw new Error(`Legal bases ${jurisdiction}: ${z.prettifyError(parsed.error)}`);
  if (parsed.data.jurisdiction !== jurisdiction) throw new Error(`Legal bases ${jurisdiction}.json says it holds the bases of ${parsed.data.jurisdiction}`);
  return parsed.data.bases;
}
