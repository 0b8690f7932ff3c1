import { assertProfileCovers, categoriesWithoutFigure, JURISDICTIONS, loadProfile } from './jurisdiction-profiles';
import { RETENTION_CATEGORIES } from './retention-categories';
import { purgeCutoff } from './retention-purgers';

/** Every category of the design's table, whether or not its context has landed yet. */
const DESIGN_CATEGORIES = ['ip-history', 'identity', 'subscription-data', 'unconfirmed-verifications', 'legal-requests'];

describe('jurisdiction profiles', () => {
  it.each(JURISDICTIONS)('%s-gives-every-retention-category-a-figure-with-its-source', (jurisdiction) => {
    const profile = loadProfile(jurisdiction);
    expect(categoriesWithoutFigure(profile, RETENTION_CATEGORIES)).toEqual([]);
    expect(() => assertProfileCovers(profile, RETENTION_CATEGORIES)).not.toThrow();
    for (const category of DESIGN_CATEGORIES) {
      expect(profile.categories[category]).toMatchObject({ days: expect.any(Number), from: expect.any(String), source: { citation: expect.any(String) } });
    }
  });

  it('holds-the-figures-of-the-design', () => {
    const days = (jurisdiction: 'be' | 'fr') => Object.fromEntries(Object.entries(loadProfile(jurisdiction).categories).map(([category, figure]) => [category, figure.days]));
    expect(days('be')).toEqual({ 'ip-history': 365, identity: 365, 'subscription-data': 365, 'unconfirmed-verifications': 0, 'legal-requests': 1827, 'admin-action-pseudonyms': 365 });
    expect(days('fr')).toEqual({ 'ip-history': 365, identity: 1827, 'subscription-data': 365, 'unconfirmed-verifications': 0, 'legal-requests': 1827, 'admin-action-pseudonyms': 1827 });
  });

  it('keeps-a-pseudonym-key-exactly-as-long-as-the-identity-it-links-to', () => {
    for (const jurisdiction of JURISDICTIONS) {
      const { identity, 'admin-action-pseudonyms': pseudonyms } = loadProfile(jurisdiction).categories;
      expect([pseudonyms.days, pseudonyms.from]).toEqual([identity.days, identity.from]);
    }
  });

  it('cites-the-texts-each-figure-comes-from', () => {
    expect(loadProfile('be').categories['ip-history'].source.citation).toMatch(/13 juin 2005.*art\. 126.*20 juillet 2022/);
    const fr = loadProfile('fr').categories;
    expect(fr.identity.source.citation).toMatch(/L34-1.*2021-1362/);
    expect(fr['ip-history'].note).toMatch(/validUntil/);
  });

  it('names-the-category-a-profile-leaves-without-a-figure', () => {
    const profile = loadProfile('be');
    expect(categoriesWithoutFigure(profile, ['ip-history', 'cpe-loans'])).toEqual(['cpe-loans']);
    expect(() => assertProfileCovers(profile, ['cpe-loans'])).toThrow('Retention profile be has no figure for: cpe-loans');
  });
});

describe('purge cutoff', () => {
  it('is-keep-days-of-24-hours-before-now', () => {
    expect(purgeCutoff({ now: new Date('2026-03-30T12:00:00Z'), keepDays: 365 })).toEqual(new Date('2025-03-30T12:00:00Z'));
    expect(purgeCutoff({ now: new Date('2026-03-30T12:00:00Z'), keepDays: 0 })).toEqual(new Date('2026-03-30T12:00:00Z'));
  });
});
