import { loadLegalBases } from './legal-bases';

describe('known legal bases', () => {
  it('Belgium cites art. 46bis for identification and art. 88bis for traffic data, each with its source', () => {
    const bases = loadLegalBases('be');
    expect(bases.map((b) => [b.code, b.kinds])).toEqual([
      ['be-cic-46bis', ['identification']],
      ['be-cic-88bis', ['traffic-data']],
    ]);
    for (const basis of bases) expect(basis.source.citation).toMatch(/art\. (46|88)bis/);
  });

  it('France cites CPP art. 60-1 and 77-1-1 and CPCE L34-1', () => {
    expect(loadLegalBases('fr').map((b) => b.code)).toEqual(['fr-cpp-60-1', 'fr-cpp-77-1-1', 'fr-cpce-l34-1']);
  });
});
