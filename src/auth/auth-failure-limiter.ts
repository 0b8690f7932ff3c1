/**
 * Counts failed authentications per client in a sliding one-minute window, so that guessing tokens
 * is throttled without slowing down anyone who presents a valid one.
 */
export class AuthFailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly maxPerMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  isBlocked(client: string): boolean {
    return this.recent(client).length >= this.maxPerMinute;
  }

  /** Seconds until the oldest failure in the window expires. */
  retryAfterSeconds(client: string): number {
    const oldest = this.recent(client)[0];
    return oldest === undefined ? 0 : Math.max(1, Math.ceil((oldest + 60_000 - this.now()) / 1000));
  }

  recordFailure(client: string): void {
    const recent = this.recent(client);
    recent.push(this.now());
    this.failures.set(client, recent);
    if (this.failures.size > 100_000) this.forgetIdle();
  }

  private recent(client: string): number[] {
    const cutoff = this.now() - 60_000;
    return (this.failures.get(client) ?? []).filter((t) => t > cutoff);
  }

  private forgetIdle(): void {
    for (const client of [...this.failures.keys()]) {
      if (this.recent(client).length === 0) this.failures.delete(client);
    }
  }
}
