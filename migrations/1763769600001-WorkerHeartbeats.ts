import { MigrationInterface, QueryRunner } from 'typeorm';

/** Last time each worker process ran its heartbeat job, shown by /health. */
export class WorkerHeartbeats1763769600001 implements MigrationInterface {
  name = 'WorkerHeartbeats1763769600001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE worker_heartbeats (worker text PRIMARY KEY, seen_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE worker_heartbeats`);
  }
}
