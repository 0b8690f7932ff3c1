import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { HEARTBEAT_EVERY_MS } from '../../src/health/heartbeat-age';
import { CHECKPOINT_SWEEP_EVERY_MS } from '../../src/ledger/checkpoint-sweep.service';
import { createTestApp, TEST_REDIS, TestApp } from '../support/test-app';

let redis: Redis;

beforeAll(() => {
  redis = new Redis(TEST_REDIS);
});
afterAll(() => redis.quit());

/** What a Redis restarted without persistence leaves of this app's queues: nothing (other tests share the server, so only this prefix goes). */
async function loseQueueStore(prefix: string): Promise<string[]> {
  const lost: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.del(...keys);
    lost.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return lost;
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const maintenanceQueue = (app: TestApp) => app.lanterne.app.get<Queue>(getQueueToken('maintenance'));
const ledgerQueue = (app: TestApp) => app.lanterne.app.get<Queue>(getQueueToken('ledger'));

describe('a worker whose queue store was emptied', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ LANTERNE_JOB_SCHEDULE_CHECK_MS: '300' });
  });
  afterAll(() => app.close());

  it('re-creates-its-heartbeat-scheduler-and-beats-again', async () => {
    const queue = maintenanceQueue(app);
    expect(await queue.getJobScheduler('heartbeat')).toBeDefined();
    await app.sql('DELETE FROM worker_heartbeats');
    // The check runs every 300 ms: asking right after may already find the scheduler back, so what was lost is checked instead.
    expect(await loseQueueStore(app.env.LANTERNE_QUEUE_PREFIX)).toContain(`${app.env.LANTERNE_QUEUE_PREFIX}:maintenance:repeat`);

    const scheduler = await eventually(() => queue.getJobScheduler('heartbeat'), (found) => found !== undefined);
    expect(scheduler).toMatchObject({ key: 'heartbeat', every: HEARTBEAT_EVERY_MS });
    const beats = await eventually(() => app.sql('SELECT seen_at FROM worker_heartbeats'), (rows) => rows.length > 0);
    expect(beats).toHaveLength(1);
  });

  it('re-creates-the-checkpoint-sweep-scheduler-too', async () => {
    const queue = ledgerQueue(app);
    expect(await queue.getJobScheduler('checkpoint')).toBeDefined();
    expect(await loseQueueStore(app.env.LANTERNE_QUEUE_PREFIX)).toContain(`${app.env.LANTERNE_QUEUE_PREFIX}:ledger:repeat`);
    const scheduler = await eventually(() => queue.getJobScheduler('checkpoint'), (found) => found !== undefined);
    expect(scheduler).toMatchObject({ key: 'checkpoint', every: CHECKPOINT_SWEEP_EVERY_MS });
  });
});

describe('a worker whose queue connection drops while the store is emptied', () => {
  let app: TestApp;
  beforeAll(async () => {
    // The periodic check is left at its default (a minute): only the reconnection can bring the scheduler back in time.
    app = await createTestApp();
  });
  afterAll(() => app.close());

  it('re-creates-its-heartbeat-scheduler-once-the-connection-is-back', async () => {
    const queue = maintenanceQueue(app);
    // Redis-specific escape hatch of BullMQ 6: the queue's own connection.
    const client = await (queue.getBackend() as unknown as { client: Promise<Redis> }).client;
    const id = (await client.client('ID')) as number;
    await loseQueueStore(app.env.LANTERNE_QUEUE_PREFIX);
    expect(await queue.getJobScheduler('heartbeat')).toBeUndefined();
    await redis.client('KILL', 'ID', String(id));

    const scheduler = await eventually(() => queue.getJobScheduler('heartbeat'), (found) => found !== undefined);
    expect(scheduler).toMatchObject({ key: 'heartbeat', every: HEARTBEAT_EVERY_MS });
  });
});

describe('/health when the workers stopped beating', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ LANTERNE_ROLE: 'api' });
  });
  afterAll(() => app.close());

  it('says-degraded-once-the-last-heartbeat-is-three-periods-old', async () => {
    await app.sql(`INSERT INTO worker_heartbeats (worker, seen_at) VALUES ('elsewhere:1', $1)`, [app.clock.now()]);
    const fresh = await app.http.get('/health');
    expect(fresh.status).toBe(200);
    expect(fresh.body).toMatchObject({ status: 'ok', worker: 'ok' });

    app.clock.advance(3 * HEARTBEAT_EVERY_MS + 1000);
    const stale = await app.http.get('/health');
    expect(stale.status).toBe(200);
    expect(stale.body).toMatchObject({ status: 'degraded', database: 'ok', queue: 'ok', worker: 'stale', workerLastSeenAt: expect.any(String) });
  });
});
