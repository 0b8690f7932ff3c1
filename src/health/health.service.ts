import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { heartbeatState, HeartbeatState } from './heartbeat-age';
import { WorkerHeartbeatService } from './worker-heartbeat.service';

export interface HealthReport {
  /** `degraded`: requests are served, but scheduled jobs have stopped running (see `worker`). */
  status: 'ok' | 'degraded' | 'unavailable';
  database: 'ok' | 'unreachable';
  queue: 'ok' | 'unreachable';
  /** `stale`: no worker has run its heartbeat job for three periods; `none`: none has yet. */
  worker: HeartbeatState;
  workerLastSeenAt: string | null;
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

@Injectable()
export class HealthService {
  constructor(
    private readonly heartbeat: WorkerHeartbeatService,
    private readonly clock: Clock,
  ) {}

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
