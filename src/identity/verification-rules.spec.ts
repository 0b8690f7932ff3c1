import { afterWrongCode, CODE_VALIDITY_MS, resendDecision, statusAt, VerificationState } from './verification-rules';

const t0 = new Date('2026-06-01T12:00:00Z');
const at = (ms: number) => new Date(t0.getTime() + ms);
const sms = (overrides: Partial<VerificationState> = {}): VerificationState => ({
  method: 'sms',
  status: 'sent',
  expiresAt: at(CODE_VALIDITY_MS.sms),
  sends: 1,
  lastSentAt: t0,
  ...overrides,
});

describe('verification rules', () => {
  it('keeps an SMS code 15 minutes and a letter 30 days', () => {
    expect(CODE_VALIDITY_MS.sms).toBe(15 * 60_000);
    expect(CODE_VALIDITY_MS.postal).toBe(30 * 86_400_000);
  });

  it('reads a pending code past its expiry as expired, and leaves final states alone', () => {
    expect(statusAt(sms(), at(CODE_VALIDITY_MS.sms - 1))).toBe('sent');
    expect(statusAt(sms(), at(CODE_VALIDITY_MS.sms))).toBe('expired');
    expect(statusAt(sms({ status: 'verified' }), at(CODE_VALIDITY_MS.sms * 2))).toBe('verified');
  });

  it('resends an SMS after 60 seconds, saying how long to wait before', () => {
    expect(resendDecision(sms(), at(59_001))).toEqual({ ok: false, problem: 'too-soon', retryAfterSeconds: 1 });
    expect(resendDecision(sms(), at(1_000))).toEqual({ ok: false, problem: 'too-soon', retryAfterSeconds: 59 });
    expect(resendDecision(sms(), at(60_000))).toEqual({ ok: true });
  });

  it('sends at most three times, and a letter without a pause', () => {
    expect(resendDecision(sms({ sends: 3 }), at(600_000))).toEqual({ ok: false, problem: 'too-many-sends' });
    const letter = sms({ method: 'postal', expiresAt: at(CODE_VALIDITY_MS.postal) });
    expect(resendDecision(letter, at(1))).toEqual({ ok: true });
    expect(resendDecision({ ...letter, sends: 3 }, at(1))).toEqual({ ok: false, problem: 'too-many-sends' });
  });

  it('does not resend a code that can no longer be typed', () => {
    expect(resendDecision(sms(), at(CODE_VALIDITY_MS.sms))).toEqual({ ok: false, problem: 'not-pending', status: 'expired' });
    expect(resendDecision(sms({ status: 'locked' }), at(60_000))).toEqual({ ok: false, problem: 'not-pending', status: 'locked' });
  });

  it('locks at the fifth wrong code', () => {
    expect(afterWrongCode(0)).toEqual({ attempts: 1, attemptsLeft: 4, locked: false });
    expect(afterWrongCode(3)).toEqual({ attempts: 4, attemptsLeft: 1, locked: false });
    expect(afterWrongCode(4)).toEqual({ attempts: 5, attemptsLeft: 0, locked: true });
  });
});
