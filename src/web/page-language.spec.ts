import { pageLanguage } from './page-language';

describe('page language', () => {
  it('follows the account, then the switch, then the browser, then French', () => {
    expect(pageLanguage({ account: 'en', cookie: 'fr', acceptLanguage: 'fr' })).toBe('en');
    expect(pageLanguage({ cookie: 'en', acceptLanguage: 'fr-BE' })).toBe('en');
    expect(pageLanguage({ acceptLanguage: 'en-GB,en;q=0.9' })).toBe('en');
    expect(pageLanguage({})).toBe('fr');
  });

  it('reads Accept-Language by quality and skips what it cannot serve', () => {
    expect(pageLanguage({ acceptLanguage: 'nl-BE, fr;q=0.5, en;q=0.8' })).toBe('en');
    expect(pageLanguage({ acceptLanguage: 'de, nl;q=0.9' })).toBe('fr');
    expect(pageLanguage({ acceptLanguage: 'en;q=0, fr-FR;q=0.1' })).toBe('fr');
    expect(pageLanguage({ account: 'de', acceptLanguage: 'EN-us' })).toBe('en');
  });
});
