import { CHART, transparencyChart, yearTables } from './transparency-view';

const report = {
  minimumCount: 5,
  years: [
    { year: 2024, total: { fewerThan: 5 } },
    {
      year: 2025,
      total: 20,
      cells: [
        { kind: 'identification' as const, outcome: 'complied' as const, count: 15 },
        { kind: 'identification' as const, outcome: 'refused' as const, count: { fewerThan: 5 } },
        { kind: 'other' as const, outcome: 'complied' as const, count: { suppressed: true as const } },
      ],
    },
  ],
};

describe('the transparency chart', () => {
  it('draws an exact year to scale and a masked year as a band up to the minimum, never its number', () => {
    const chart = transparencyChart(report);
    const [masked, exact] = chart.bars;
    expect(exact).toMatchObject({ year: 2025, total: 20, masked: false, y: CHART.top, height: chart.baseline - CHART.top });
    expect(masked).toMatchObject({ year: 2024, total: null, masked: true, height: Math.round(((chart.baseline - CHART.top) * 5) / 20) });
    expect(JSON.stringify(masked)).not.toMatch(/"total":\d/);
    for (const bar of chart.bars) expect(bar.x + bar.width).toBeLessThanOrEqual(CHART.width);
  });

  it('scales a report of masked years only to the minimum', () => {
    const chart = transparencyChart({ minimumCount: 5, years: [{ year: 2026, total: { fewerThan: 5 } }] });
    expect(chart.bars[0]).toMatchObject({ y: CHART.top, masked: true });
    expect(transparencyChart({ minimumCount: 5, years: [] }).bars).toEqual([]);
  });

  it('tables each year latest first, a row per kind, each masked cell said as such', () => {
    expect(yearTables(report)).toEqual([
      {
        year: 2025,
        total: 20,
        fewerThan: null,
        rows: [
          {
            kind: 'identification',
            cells: [
              { outcome: 'complied', count: 15, fewerThan: null, suppressed: false },
              { outcome: 'refused', count: null, fewerThan: 5, suppressed: false },
            ],
          },
          { kind: 'other', cells: [{ outcome: 'complied', count: null, fewerThan: null, suppressed: true }] },
        ],
      },
      { year: 2024, total: null, fewerThan: 5, rows: null },
    ]);
  });
});
