import { accreditationExpired, outcomeOf, tally } from './consensus-rules';

describe('closing rule', () => {
  it('counts each kind of current position', () => {
    expect(tally(['consent', 'consent', 'stand-aside', 'concern', 'block'])).toEqual({ consent: 2, concern: 1, standAside: 1, block: 1 });
  });

  it('adopts when consents reach the quorum and no block stands', () => {
    expect(outcomeOf(tally(['consent', 'consent', 'concern', 'stand-aside']), 2)).toBe('adopted');
    expect(outcomeOf(tally(['consent']), 2)).toBe('rejected');
    expect(outcomeOf(tally(['consent', 'consent', 'consent', 'block']), 2)).toBe('rejected');
  });
});

describe('accreditation', () => {
  it('holds through the day it expires on, and not after', () => {
    expect(accreditationExpired('2026-12-01', new Date('2026-12-01T23:59:59Z'))).toBe(false);
    expect(accreditationExpired('2026-12-01', new Date('2026-12-02T00:00:00Z'))).toBe(true);
  });
});
