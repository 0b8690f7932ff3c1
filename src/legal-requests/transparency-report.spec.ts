import { CountRow, MaskedCount, transparencyReport, YearReport } from './transparency-report';

const row = (year: number, kind: CountRow['kind'], outcome: CountRow['outcome'], count: number): CountRow => ({ year, kind, outcome, count });
const cell = (report: YearReport, kind: string, outcome: string): MaskedCount | undefined => report.cells?.find((c) => c.kind === kind && c.outcome === outcome)?.count;

describe('transparency report', () => {
  it('a-year-below-the-minimum-shows-only-that-it-had-fewer', () => {
    expect(transparencyReport([row(2025, 'identification', 'complied', 3), row(2025, 'other', 'pending', 1)], 5)).toEqual([{ year: 2025, total: { fewerThan: 5 } }]);
  });

  it('years-come-oldest-first-and-years-without-requests-are-absent', () => {
    const report = transparencyReport([row(2026, 'identification', 'complied', 1), row(2024, 'identification', 'complied', 1)], 2);
    expect(report.map((year) => year.year)).toEqual([2024, 2026]);
  });

  it('shows-every-cell-exactly-when-none-is-below-the-minimum', () => {
    const rows = ['identification', 'traffic-data', 'interception', 'other'].flatMap((kind) =>
      ['pending', 'complied', 'contested', 'refused'].map((outcome) => row(2026, kind as CountRow['kind'], outcome as CountRow['outcome'], 2)),
    );
    const [year] = transparencyReport(rows, 2);
    expect(year.total).toBe(32);
    expect(year.cells).toHaveLength(16);
    expect(year.cells?.every((c) => c.count === 2)).toBe(true);
  });

  it('a-small-cell-in-a-big-year-is-masked-and-a-complementary-cell-hides-what-subtraction-would-recover', () => {
    const [year] = transparencyReport(
      [row(2026, 'identification', 'complied', 40), row(2026, 'identification', 'refused', 9), row(2026, 'interception', 'refused', 1)],
      5,
    );
    expect(year.total).toBe(50);
    expect(cell(year, 'interception', 'refused')).toEqual({ fewerThan: 5 });
    // Zero cells are masked alike: a mask never says that a request exists.
    expect(cell(year, 'other', 'pending')).toEqual({ fewerThan: 5 });
    // The first cell in the fixed order that would show a number is suppressed, whatever its size.
    expect(cell(year, 'identification', 'complied')).toEqual({ suppressed: true });
    expect(cell(year, 'identification', 'refused')).toBe(9);
    const shown = (year.cells ?? []).reduce((sum, c) => sum + (typeof c.count === 'number' ? c.count : 0), 0);
    // What subtraction gives is the masked cells and the suppressed one together: 41, consistent with the rare one holding none.
    expect((year.total as number) - shown).toBe(41);
  });

  it('a-year-whose-only-shown-cell-would-be-suppressed-shows-its-total-alone', () => {
    expect(transparencyReport([row(2026, 'identification', 'complied', 12), row(2026, 'other', 'refused', 1)], 5)).toEqual([{ year: 2026, total: 13 }]);
  });

  it('requests-under-a-gag-order-count-in-the-total-and-in-no-cell', () => {
    const open = transparencyReport([row(2026, 'identification', 'complied', 20), row(2026, 'identification', 'pending', 20)], 5);
    const withGagged = transparencyReport([row(2026, 'identification', 'complied', 20), row(2026, 'identification', 'pending', 20), row(2026, null, null, 3)], 5);
    expect(withGagged[0].total).toBe(43);
    expect(withGagged[0].cells).toEqual(open[0].cells);
  });
});
