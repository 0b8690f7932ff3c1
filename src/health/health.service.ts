import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { WorkerHeartbeatService } from './worker-heartbeat.service';

export interface HealthReport {
  status: 'ok' | 'unavailable';
  database: 'ok' | 'unreachable';
  queue: 'ok' | 'unreachable';
  workerLastSeenAt: string | null;
}

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms).unref())]);

@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly heartbeat: WorkerHeartbeatService,
  ) {}

  async check(): Promise<HealthReport> {
    const [database, queue, lastSeen] = await Promise.all([
      within(this.dataSource.query('SELECT 1'), 3000).then(() => 'ok' as const, () => 'unreachable' as const),
      within(this.heartbeat.queueReachable(), 3000).then(() => 'ok' as const, () => 'unreachable' as const),
      within(this.heartbeat.lastSeen(), 3000).catch(() => null),
    ]);
    return { status: database === 'ok' && queue === 'ok' ? 'ok' : 'unavailable', database, queue, workerLastSeenAt: lastSeen?.toISOString() ?? null };
  }
}
