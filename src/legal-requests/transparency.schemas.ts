import { z } from 'zod';
import { LEGAL_REQUEST_KINDS } from './legal-request-kinds';
import { TRANSPARENCY_OUTCOMES } from './transparency-report';

const FewerThan = z.object({ fewerThan: z.number().int().min(2).describe('LANTERNE_TRANSPARENCY_MIN_COUNT: between 0 and this minus one.') }).strict();

const MaskedCountSchema = z
  .union([
    z.number().int().min(0),
    FewerThan,
    z.object({ suppressed: z.literal(true) }).strict().describe('At least the minimum, hidden so that the masked cells cannot be recovered by subtracting the shown ones from the total.'),
  ])
  .meta({ id: 'TransparencyCount', description: 'An exact count, a count below the minimum, or a larger count hidden to protect the masked ones.' });

const YearSchema = z
  .object({
    year: z.number().int().describe('The year the requests were received (UTC).'),
    total: z.union([z.number().int().min(0), FewerThan]).describe('Every request received that year, those under a gag order included; below the minimum, only that.'),
    cells: z
      .array(z.object({ kind: z.enum(LEGAL_REQUEST_KINDS), outcome: z.enum(TRANSPARENCY_OUTCOMES), count: MaskedCountSchema }))
      .optional()
      .describe('Each kind × outcome, requests under a gag order left out; absent when the year is below the minimum or no cell could show a number.'),
  })
  .meta({ id: 'TransparencyYear' });

export const TransparencyReportSchema = z
  .object({
    minimumCount: z.number().int().min(2).describe('Counts below this are shown as { fewerThan } (LANTERNE_TRANSPARENCY_MIN_COUNT).'),
    years: z.array(YearSchema).describe('The years that had requests, oldest first.'),
  })
  .meta({ id: 'TransparencyReport' });
export type TransparencyReportView = z.infer<typeof TransparencyReportSchema>;
