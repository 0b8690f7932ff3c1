/**
 * The rules of a verification, pure: the caller brings the row and the clock.
 */
export const VERIFICATION_METHODS = ['sms', 'postal'] as const;
export type VerificationMethod = (typeof VERIFICATION_METHODS)[number];

/** `sent` while the code may be typed; the other three are final. */
export const VERIFICATION_STATUSES = ['sent', 'verified', 'locked', 'expired'] as const;
export type VerificationStatus = (typeof VERIFICATION_STATUSES)[number];

const MINUTE = 60_000;
/** How long a code stays valid: a text arrives in seconds, a letter in days. */
export const CODE_VALIDITY_MS: Record<VerificationMethod, number> = { sms: 15 * MINUTE, postal: 30 * 24 * 60 * MINUTE };
export const MAX_ATTEMPTS = 5;
export const MAX_SENDS = 3;
/** Between two texts of one verification; letters have no such pause (they are printed by hand). */
export const SMS_RESEND_PAUSE_MS = MINUTE;

export interface VerificationState {
  method: VerificationMethod;
  status: VerificationStatus;
  expiresAt: Date;
  sends: number;
  lastSentAt: Date;
}

/** The status as of `now`: a code past its expiry is expired even before anything recorded it. */
export function statusAt(v: Pick<VerificationState, 'status' | 'expiresAt'>, now: Date): VerificationStatus {
  return v.status === 'sent' && v.expiresAt <= now ? 'expired' : v.status;
}

export type ResendDecision = { ok: true } | { ok: false; problem: 'not-pending'; status: VerificationStatus } | { ok: false; problem: 'too-many-sends' } | { ok: false; problem: 'too-soon'; retryAfterSeconds: number };

export function resendDecision(v: VerificationState, now: Date): ResendDecision {
  const status = statusAt(v, now);
  if (status !== 'sent') return { ok: false, problem: 'not-pending', status };
  if (v.sends >= MAX_SENDS) return { ok: false, problem: 'too-many-sends' };
  if (v.method === 'sms') {
    const wait = v.lastSentAt.getTime() + SMS_RESEND_PAUSE_MS - now.getTime();
    if (wait > 0) return { ok: false, problem: 'too-soon', retryAfterSeconds: Math.ceil(wait / 1000) };
  }
  return { ok: true };
}

/** After a wrong code: what is left, and whether the verification is now locked. */
export function afterWrongCode(attempts: number): { attempts: number; attemptsLeft: number; locked: boolean } {
  const next = attempts + 1;
  return { attempts: next, attemptsLeft: Math.max(0, MAX_ATTEMPTS - next), locked: next >= MAX_ATTEMPTS };
}
