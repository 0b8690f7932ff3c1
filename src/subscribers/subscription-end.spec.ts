import { subscriptionEnd } from './subscription-end';

const now = new Date('2026-06-01T12:00:00Z');
const date = (text: string) => new Date(text);

describe('subscriptionEnd', () => {
  it('ends a started subscription at the instant given', () => {
    expect(subscriptionEnd(date('2026-01-01T00:00:00Z'), date('2026-03-01T00:00:00Z'), now)).toEqual({
      ok: true,
      startsAt: date('2026-01-01T00:00:00Z'),
      endsAt: date('2026-03-01T00:00:00Z'),
      cancelled: false,
    });
  });

  it('ends a subscription that starts now at once, with an empty period', () => {
    expect(subscriptionEnd(now, now, now)).toEqual({ ok: true, startsAt: now, endsAt: now, cancelled: false });
  });

  it('cancels a subscription that has not started: it starts and ends at the instant given, never in the future', () => {
    expect(subscriptionEnd(date('2999-01-01T00:00:00Z'), now, now)).toEqual({ ok: true, startsAt: now, endsAt: now, cancelled: true });
    const past = date('2026-05-01T00:00:00Z');
    expect(subscriptionEnd(date('2026-07-01T00:00:00Z'), past, now)).toEqual({ ok: true, startsAt: past, endsAt: past, cancelled: true });
  });

  it('refuses an end in the future, started or not', () => {
    expect(subscriptionEnd(date('2026-01-01T00:00:00Z'), date('2026-07-01T00:00:00Z'), now)).toMatchObject({ ok: false, problem: 'date-in-future' });
    expect(subscriptionEnd(date('2999-01-01T00:00:00Z'), date('2999-01-01T00:00:00Z'), now)).toMatchObject({ ok: false, problem: 'date-in-future' });
  });

  it('refuses to end a started subscription before its start', () => {
    expect(subscriptionEnd(date('2026-01-01T00:00:00Z'), date('2025-12-31T00:00:00Z'), now)).toEqual({
      ok: false,
      problem: 'end-before-start',
      reason: 'The end 2025-12-31T00:00:00.000Z is before the start 2026-01-01T00:00:00.000Z.',
    });
  });
});
