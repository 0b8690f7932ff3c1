/**
 * The transparency report as the public page shows it: a table per year, and a bar chart with one bar per year for its total. A year below the minimum
 * has no number to draw: its bar is an outlined, hatched band from zero up to the minimum, labelled
 * "fewer than N", so that the chart never shows more than the report does. No Nest imports.
 */
import type { TransparencyReportView } from '../legal-requests/transparency.schemas';

export const CHART = { width: 640, height: 240, top: 24, bottom: 32, left: 16, barGap: 16, maxBarWidth: 72 } as const;

export interface ChartBar {
  year: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** Where the year and the count are written. */
  labelX: number;
  countY: number;
  /** The exact total, or null when the year is below the minimum. */
  total: number | null;
  masked: boolean;
}

export interface Chart {
  width: number;
  height: number;
  /** The baseline's height in the drawing. */
  baseline: number;
  yearY: number;
  bars: ChartBar[];
}

export function transparencyChart(report: TransparencyReportView): Chart {
  const plot = CHART.height - CHART.top - CHART.bottom;
  const baseline = CHART.top + plot;
  // A masked year reaches the minimum: the scale must hold it as well as the largest exact total.
  const largest = Math.max(report.minimumCount, ...report.years.map((year) => (typeof year.total === 'number' ? year.total : 0)));
  const slot = report.years.length === 0 ? 0 : (CHART.width - CHART.left * 2) / report.years.length;
  const width = Math.min(CHART.maxBarWidth, Math.max(8, slot - CHART.barGap));
  const bars = report.years.map((year, i): ChartBar => {
    const total = typeof year.total === 'number' ? year.total : null;
    const height = Math.round(((total ?? report.minimumCount) / largest) * plot);
    const x = Math.round(CHART.left + i * slot + (slot - width) / 2);
    return { year: year.year, x, y: baseline - height, width: Math.round(width), height, labelX: Math.round(x + width / 2), countY: baseline - height - 6, total, masked: total === null };
  });
  return { width: CHART.width, height: CHART.height, baseline, yearY: baseline + 20, bars };
}

export interface CellView {
  outcome: string;
  count: number | null;
  fewerThan: number | null;
  suppressed: boolean;
}

export interface YearTable {
  year: number;
  total: number | null;
  fewerThan: number | null;
  /** A row per kind, a cell per outcome; null when the report shows only the year's total. */
  rows: { kind: string; cells: CellView[] }[] | null;
}

/** The report's years, latest first, each as a table of kinds by outcomes in the report's own order. */
export function yearTables(report: TransparencyReportView): YearTable[] {
  return [...report.years].reverse().map((year): YearTable => {
    const total = typeof year.total === 'number' ? year.total : null;
    const fewerThan = typeof year.total === 'number' ? null : year.total.fewerThan;
    const { cells } = year;
    if (!cells) return { year: year.year, total, fewerThan, rows: null };
    const kinds = [...new Set(cells.map((cell) => cell.kind))];
    const rows = kinds.map((kind) => ({
      kind,
      cells: cells.filter((cell) => cell.kind === kind).map(({ outcome, count }): CellView => ({
        outcome,
        count: typeof count === 'number' ? count : null,
        fewerThan: typeof count === 'object' && 'fewerThan' in count ? count.fewerThan : null,
        suppressed: typeof count === 'object' && 'suppressed' in count,
      })),
    }));
    return { year: year.year, total, fewerThan, rows };
  });
}
