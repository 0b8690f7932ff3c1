import { cannotMove, LEGAL_REQUEST_STATUSES, mayMove } from './legal-request-status';

describe('legal request status', () => {
  it('moves only forward along received → under-review → decided → answered → closed, or back to received when a proposal is rejected', () => {
    const allowed = LEGAL_REQUEST_STATUSES.flatMap((from) => LEGAL_REQUEST_STATUSES.filter((to) => mayMove(from, to)).map((to) => `${from}→${to}`));
    expect(allowed).toEqual(['received→under-review', 'under-review→received', 'under-review→decided', 'decided→answered', 'answered→closed']);
  });

  it('never leaves closed', () => {
    expect(LEGAL_REQUEST_STATUSES.some((to) => mayMove('closed', to))).toBe(false);
  });
});

describe('a refused move', () => {
  it('names both states', () => {
    expect(cannotMove('answered', 'under-review')).toBe('legal request is answered; it cannot move to under-review');
  });
});
