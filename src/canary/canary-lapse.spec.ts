import { canaryStatus, dueWarnings } from './canary-lapse';

const renewBy = new Date('2026-09-01T00:00:00.000Z');
const at = (text: string) => new Date(text);

describe('canary lapse', () => {
  it('is-current-up-to-and-including-its-renewal-instant-and-lapsed-after', () => {
    expect(canaryStatus(renewBy, at('2026-09-01T00:00:00.000Z'))).toBe('current');
    expect(canaryStatus(renewBy, at('2026-09-01T00:00:00.001Z'))).toBe('lapsed');
  });

  it('warns-from-14-then-from-3-days-before-and-never-once-lapsed', () => {
    expect(dueWarnings(renewBy, at('2026-08-17T23:59:59.999Z'))).toEqual([]);
    expect(dueWarnings(renewBy, at('2026-08-18T00:00:00.000Z'))).toEqual([14]);
    expect(dueWarnings(renewBy, at('2026-08-29T00:00:00.000Z'))).toEqual([14, 3]);
    expect(dueWarnings(renewBy, at('2026-09-02T00:00:00.000Z'))).toEqual([]);
  });
});
