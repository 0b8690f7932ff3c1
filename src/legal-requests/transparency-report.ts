/**
 * The public transparency report: requests counted per year of receipt, by kind and by outcome, with
 * small counts masked so that no single request can be singled out (docs/privacy.md, "Transparency
 * report"). No Nest or database imports.
 */
import { LEGAL_REQUEST_KINDS, LegalRequestKind } from './legal-request-kinds';

/**
 * What became of a request, from its status and its adopted decision: `pending` while received or
 * under review, then the decision adopted (comply → complied, contest → contested, refuse → refused),
 * whether or not the answer has gone out yet. The SQL of transparency.store.ts computes the same.
 */
export const TRANSPARENCY_OUTCOMES = ['pending', 'complied', 'contested', 'refused'] as const;
export type TransparencyOutcome = (typeof TRANSPARENCY_OUTCOMES)[number];

/** An exact count, a count below the minimum, or a count at or above it hidden so that the smaller ones cannot be recovered by subtraction. */
export type MaskedCount = number | { fewerThan: number } | { suppressed: true };

/** One group of the aggregate query; kind and outcome are null for requests under a gag order. */
export interface CountRow {
  year: number;
  kind: LegalRequestKind | null;
  outcome: TransparencyOutcome | null;
  count: number;
}

export interface YearReport {
  year: number;
  total: number | { fewerThan: number };
  /** Every kind × outcome, in the order of LEGAL_REQUEST_KINDS then TRANSPARENCY_OUTCOMES; absent when no cell could show a number. */
  cells?: { kind: LegalRequestKind; outcome: TransparencyOutcome; count: MaskedCount }[];
}

/**
 * The years that had requests, oldest first. A year with fewer than `minimum` requests shows only
 * that. In the others, every cell below `minimum` (zero included, so that a mask never tells that a
 * request exists) reads "fewer than"; and as soon as one cell is masked, the first cell in the fixed
 * order that would show a number is suppressed too, so that the total minus the shown cells never
 * pins a masked one. The choice depends only on which cells are masked, never on their values, so
 * the rule itself reveals nothing more. Requests under a gag order count in the total only.
 */
export function transparencyReport(rows: readonly CountRow[], minimum: number): YearReport[] {
  const years = [...new Set(rows.map((row) => row.year))].sort((a, b) => a - b);
  return years.map((year) => {
    const ofYear = rows.filter((row) => row.year === year);
    const total = ofYear.reduce((sum, row) => sum + row.count, 0);
    if (total < minimum) return { year, total: { fewerThan: minimum } };
    const cells = LEGAL_REQUEST_KINDS.flatMap((kind) =>
      TRANSPARENCY_OUTCOMES.map((outcome) => {
        const count = ofYear.filter((row) => row.kind === kind && row.outcome === outcome).reduce((sum, row) => sum + row.count, 0);
        return { kind, outcome, count: count < minimum ? { fewerThan: minimum } : count } as { kind: LegalRequestKind; outcome: TransparencyOutcome; count: MaskedCount };
      }),
    );
    if (cells.some((cell) => typeof cell.count !== 'number')) {
      const complement = cells.find((cell) => typeof cell.count === 'number');
      if (complement) complement.count = { suppressed: true };
    }
    return cells.some((cell) => typeof cell.count === 'number') ? { year, total, cells } : { year, total };
  });
}
