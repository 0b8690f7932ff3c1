import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { APP_CONFIG, AppConfig } from '../config/config';
import { JobRegistry } from '../queue/job-registry';

export const HEARTBEAT_EVERY_MS = 30_000;

/** Workers record that they are alive, so /health can tell a stopped worker from an idle one. */
@Injectable()
export class WorkerHeartbeatService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue('maintenance') private readonly maintenance: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    jobs: JobRegistry,
  ) {
    jobs.register('maintenance', 'heartbeat', z.object({}).passthrough(), () => this.recordHeartbeat());
  }

  async onModuleInit(): Promise<void> {
    if (this.config.role === 'api') return;
    await this.maintenance.upsertJobScheduler('heartbeat', { every: HEARTBEAT_EVERY_MS }, { name: 'heartbeat', data: {}, opts: { removeOnComplete: true, removeOnFail: 100 } });
  }

  async recordHeartbeat(): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO worker_heartbeats (worker, seen_at) VALUES ($1, now()) ON CONFLICT (worker) DO UPDATE SET seen_at = excluded.seen_at`,
      [`${hostname()}:${process.pid}`],
    );
  }

  async lastSeen(): Promise<Date | null> {
    const [row] = await this.dataSource.query(`SELECT max(seen_at) AS seen FROM worker_heartbeats`);
    return row?.seen ? new Date(row.seen) : null;
  }

  async queueReachable(): Promise<boolean> {
    await this.maintenance.getJobCounts('waiting');
    return true;
  }
}
