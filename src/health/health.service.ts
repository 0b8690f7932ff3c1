import { Injectable } from '@nestjs/common';
import { HealthReport } from './health.schemas';
import { WorkerHeartbeatService } from './worker-heartbeat.service';

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

@Injectable()
export class HealthService {
  constructor(private readonly heartbeat: WorkerHeartbeatService) {}

  async check(): Promise<HealthReport> {
    // Reading the last heartbeat is the database probe too.
    const seen = within(this.heartbeat.lastSeen(), 3000);
    const [database, queue, lastSeen] = await Promise.all([
      seen.then(() => 'ok' as const, () => 'unreachable' as const),
      within(this.heartbeat.queueReachable(), 3000).then(() => 'ok' as const, () => 'unreachable' as const),
      seen.catch(() => null),
    ]);
    return { status: database === 'ok' && queue === 'ok' ? 'ok' : 'unavailable', database, queue, workerLastSeenAt: lastSeen?.toISOString() ?? null };
  }
}
