import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { heartbeatState } from './heartbeat-age';
import { HealthReport } from './health.schemas';
import { WorkerHeartbeatService } from './worker-heartbeat.service';

/** `promise`, or a rejection after `ms`; the timer goes once settled (a probe per request would otherwise leave thousands pending). */
async function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms).unref()))]);
  } finally {
    clearTimeout(timer);
  }
}

@Injectable()
export class HealthService {
  private inFlight: Promise<HealthReport> | null = null;

  constructor(
    private readonly heartbeat: WorkerHeartbeatService,
    private readonly clock: Clock,
  ) {}

  /**
   * /health's answer. Callers who ask while a probe is running share its answer, so that a flood
   * of anonymous calls does not cost a database and a Redis round trip each; a call made after a
   * probe has finished always starts a new one.
   */
  current(): Promise<HealthReport> {
    this.inFlight ??= this.check().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  async check(): Promise<HealthReport> {
    // Reading the last heartbeat is the database probe too.
    const seen = within(this.heartbeat.lastSeen(), 3000);
    const [database, queue, lastSeen] = await Promise.all([
      seen.then(() => 'ok' as const, () => 'unreachable' as const),
      within(this.heartbeat.queueReachable(), 3000).then(() => 'ok' as const, () => 'unreachable' as const),
      seen.catch(() => null),
    ]);
    const worker = heartbeatState(lastSeen, this.clock.now());
    const status = database !== 'ok' || queue !== 'ok' ? 'unavailable' : worker === 'stale' ? 'degraded' : 'ok';
    return { status, database, queue, worker, workerLastSeenAt: lastSeen?.toISOString() ?? null };
  }
}
