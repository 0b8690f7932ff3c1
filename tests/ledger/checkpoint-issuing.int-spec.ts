import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { CHECKPOINT_SWEEP_EVERY_MS } from '../../src/ledger/checkpoint-sweep.service';
import { appendEntries, treeSize } from '../support/ledger';
import { createTestApp, TestApp } from '../support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const checkpointOf = async (app: TestApp) => {
  const response = await app.http.get('/api/v1/ledger/checkpoint');
  expect(response.status).toBe(200);
  return response.body as { treeSize: number; timestamp: string };
};
const storedCheckpoints = async (app: TestApp) => (await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM ledger_checkpoints'))[0].n;

/** Asks for the public checkpoint until it covers `size` entries; returns how long that took. */
async function waitForCheckpointOf(app: TestApp, size: number, withinMs: number): Promise<number> {
  const started = Date.now();
  while ((await checkpointOf(app)).treeSize < size) {
    if (Date.now() - started > withinMs) throw new Error(`no checkpoint of ${size} entries within ${withinMs} ms (public: ${(await checkpointOf(app)).treeSize})`);
    await sleep(100);
  }
  return Date.now() - started;
}

describe('appends sign checkpoints at most once per interval', () => {
  const INTERVAL_S = 2;
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ LANTERNE_CHECKPOINT_INTERVAL_SECONDS: String(INTERVAL_S) });
  });
  afterAll(() => app.close());

  it('a-burst-of-appends-stores-a-checkpoint-or-two-and-the-last-append-is-signed-within-the-interval', async () => {
    const stored = await storedCheckpoints(app);
    for (let i = 0; i < 10; i++) {
      await appendEntries(app, 1);
      await sleep(100);
    }
    const size = await treeSize(app);
    const waited = await waitForCheckpointOf(app, size, INTERVAL_S * 1000 + 2000);
    expect(waited).toBeLessThanOrEqual(INTERVAL_S * 1000 + 2000);
    // Ten appends over about a second span at most two intervals: one checkpoint each, not one per append.
    const added = (await storedCheckpoints(app)) - stored;
    expect(added).toBeGreaterThanOrEqual(1);
    expect(added).toBeLessThanOrEqual(2);
  });
});

describe('a repeatable job signs what appends left unsigned', () => {
  let app: TestApp;
  let queue: Queue;
  beforeAll(async () => {
    // An interval longer than the test: only the job can sign the appends below.
    app = await createTestApp({ LANTERNE_CHECKPOINT_INTERVAL_SECONDS: '3600' });
    queue = app.lanterne.app.get<Queue>(getQueueToken('ledger'));
  });
  afterAll(() => app.close());

  it('is-scheduled-by-the-worker', async () => {
    const schedulers = await queue.getJobSchedulers();
    expect(schedulers).toEqual([expect.objectContaining({ key: 'checkpoint', name: 'checkpoint', every: CHECKPOINT_SWEEP_EVERY_MS })]);
  });

  it('a-run-signs-the-appends-the-interval-held-back-and-the-public-route-only-reads', async () => {
    const signed = await checkpointOf(app);
    await appendEntries(app, 3);
    const size = await treeSize(app);
    expect(size).toBe(signed.treeSize + 3);
    const stored = await storedCheckpoints(app);
    for (let i = 0; i < 20; i++) expect((await checkpointOf(app)).treeSize).toBe(signed.treeSize);
    expect(await storedCheckpoints(app)).toBe(stored);

    await queue.add('checkpoint', {});
    await waitForCheckpointOf(app, size, 20_000);
    expect(await storedCheckpoints(app)).toBe(stored + 1);
    // A run with nothing new to sign stores nothing.
    await queue.add('checkpoint', {});
    await sleep(1500);
    expect(await storedCheckpoints(app)).toBe(stored + 1);
  });
});
