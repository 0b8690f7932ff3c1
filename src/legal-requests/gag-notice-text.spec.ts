import { noticeLanguage, renderGagLiftedNotice } from './gag-notice-text';

describe('the gag-lifted notice', () => {
  it('says the day the request was received, in the member language', () => {
    expect(renderGagLiftedNotice(new Date('2026-11-30T08:15:00Z'), 'fr').body).toContain('Le 2026-11-30,');
    expect(renderGagLiftedNotice(new Date('2026-11-30T23:59:59Z'), 'en')).toEqual({ subject: 'A request concerning you', body: expect.stringContaining('On 2026-11-30,') });
  });

  it('falls back to French for a language it has no text in, and reads a regional tag by its language', () => {
    expect(noticeLanguage('nl')).toBe('fr');
    expect(noticeLanguage('fr-BE')).toBe('fr');
    expect(noticeLanguage('en')).toBe('en');
  });
});
