import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { hostname } from 'node:os';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { JobRegistry } from '../queue/job-registry';
import { HEARTBEAT_EVERY_MS } from './heartbeat-age';


/** Workers record that they are alive, so /health can tell a stopped worker from an idle one. */
@Injectable()
export class WorkerHeartbeatService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue('maintenance') private readonly maintenance: Queue,
    jobs: JobRegistry,
  ) {
    jobs.register('maintenance', 'heartbeat', z.object({}).passthrough(), () => this.recordHeartbeat());
    jobs.schedule(maintenance, 'heartbeat', HEARTBEAT_EVERY_MS, { removeOnComplete: true, removeOnFail: 100 });
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
