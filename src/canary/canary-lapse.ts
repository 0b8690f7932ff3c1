/** When a canary reads as lapsed, and when the ccj circle is warned before. No Nest or database imports. */

/** Days before `renewBy` at which the circle is told, once each per canary. */
export const LAPSE_WARNING_DAYS = [14, 3] as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Lapsed from the instant after `renewBy`: a canary is good up to and including its renewal date. */
export function canaryStatus(renewBy: Date, now: Date): 'current' | 'lapsed' {
  return now.getTime() > renewBy.getTime() ? 'lapsed' : 'current';
}

/** The thresholds reached by `now` while the canary is still current. */
export function dueWarnings(renewBy: Date, now: Date): number[] {
  if (canaryStatus(renewBy, now) === 'lapsed') return [];
  return LAPSE_WARNING_DAYS.filter((days) => now.getTime() >= renewBy.getTime() - days * DAY_MS);
}
