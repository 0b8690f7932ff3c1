import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { App } from 'supertest/types';
import { SYSTEM_ACTOR } from '../../src/common/access';
import { loadConfig } from '../../src/config/config';
import { ConsensusService } from '../../src/consensus/consensus.service';
import { RunningLanterne, startLanterne } from '../../src/server';
import { storedLeaves } from '../support/ledger';
import { bearer, createTestDatabase, TestApp, TEST_REDIS, TestClock, testEnvironment } from '../support/test-app';

/** `closesAt`: a delayed job per proposal, which a restart on the same database (and an emptied queue store) does not lose. */

const V = '/api/v1';
let database: Awaited<ReturnType<typeof createTestDatabase>>;
let env: Record<string, string>;
let client: Client;
let redis: Redis;

const sql = async (text: string, params: unknown[] = []) => (await client.query(text, params)).rows;

async function start(): Promise<{ lanterne: RunningLanterne; http: ReturnType<typeof request>; clock: TestClock }> {
  // Real time: BullMQ's delays run on the wall clock.
  const clock = new TestClock(new Date());
  const lanterne = await startLanterne(loadConfig(env), { clock });
  return { lanterne, http: request(lanterne.app.getHttpServer() as App), clock };
}

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One for the whole file: the first adopted board proposal ends the bootstrap, and with it the admin's direct seating. */
let seated: string | undefined;
async function boardMember(http: ReturnType<typeof request>): Promise<string> {
  if (seated) return seated;
  const created = await http.post(`${V}/users`).set(bearer(env.LANTERNE_BOOTSTRAP_TOKEN)).send({ name: 'board member', roles: ['technician'] }).expect(201);
  await http.post(`${V}/circles/board/members`).set(bearer(env.LANTERNE_BOOTSTRAP_TOKEN)).send({ accountId: created.body.id }).expect(201);
  seated = created.body.token as string;
  return seated;
}

const closings = async (id: string) => (await storedLeaves({ sql } as unknown as TestApp)).filter((leaf) => leaf.action === 'proposal.closed' && leaf.refs.proposalId === id);
const statusOf = async (id: string) => ((await sql('SELECT status FROM proposals WHERE id = $1', [id]))[0] as { status: string }).status;

beforeAll(async () => {
  database = await createTestDatabase();
  env = testEnvironment(database.url);
  client = new Client({ connectionString: database.url });
  await client.connect();
  redis = new Redis(TEST_REDIS);
});
afterAll(async () => {
  await client.end();
  await redis.quit();
  await database.drop();
});

it('closes-by-itself-at-closesAt-once-with-its-tally', async () => {
  const { lanterne, http, clock } = await start();
  try {
    const token = await boardMember(http);
    const opened = await http
      .post(`${V}/proposals`)
      .set(bearer(token))
      .send({ title: 'Cotisation', body: 'Texte.', circle: 'board', quorum: 1, closesAt: new Date(clock.now().getTime() + 1500).toISOString() })
      .expect(201);
    await http.post(`${V}/proposals/${opened.body.id}/positions`).set(bearer(token)).send({ position: 'consent' }).expect(200);
    expect(await eventually(() => statusOf(opened.body.id), (status) => status !== 'open')).toBe('adopted');
    // The job is keyed by the proposal: adding it again and running the close again change nothing.
    expect(await lanterne.app.get(ConsensusService).closeDue(opened.body.id)).toEqual({ status: 'adopted', tally: { consent: 1, concern: 0, standAside: 0, block: 0 } });
    const closed = await closings(opened.body.id);
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ actor: { id: null, role: 'system' }, refs: { status: 'adopted', consent: 1 } });
  } finally {
    await lanterne.stop();
  }
}, 60_000);

it('survives-a-restart-with-its-queue-store-emptied', async () => {
  let id: string;
  const first = await start();
  try {
    const token = await boardMember(first.http);
    id = (
      await first.http
        .post(`${V}/proposals`)
        .set(bearer(token))
        .send({ title: 'Local', body: 'Texte.', circle: 'board', closesAt: new Date(first.clock.now().getTime() + 2000).toISOString() })
        .expect(201)
    ).body.id;
    expect(await first.lanterne.app.get<Queue>(getQueueToken('consensus')).getJob(id)).toBeDefined();
  } finally {
    await first.lanterne.stop();
  }
  // As a Redis restarted without its data would: only this instance's prefix goes.
  const keys = await redis.keys(`${env.LANTERNE_QUEUE_PREFIX}:*`);
  if (keys.length > 0) await redis.del(...keys);
  expect(await statusOf(id)).toBe('open');

  const second = await start();
  try {
    expect(await eventually(() => statusOf(id), (status) => status !== 'open')).toBe('rejected');
    expect(await closings(id)).toHaveLength(1);
  } finally {
    await second.lanterne.stop();
  }
}, 60_000);

it('a-proposal-opened-in-another-contexts-transaction-is-bound-and-one-per-bound-thing', async () => {
  const { lanterne } = await start();
  try {
    const consensus = lanterne.app.get(ConsensusService);
    const dataSource = lanterne.app.get(DataSource);
    const boundTo = { kind: 'legal-request' as const, id: '11111111-1111-4111-8111-111111111111' };
    const input = { title: 'Se conformer', body: 'Réquisition.', circle: 'ccj' as const, quorum: 2, boundTo };
    const opened = await dataSource.transaction((em) => consensus.openProposal(em, input, SYSTEM_ACTOR));
    await expect(dataSource.transaction((em) => consensus.openProposal(em, input, SYSTEM_ACTOR))).rejects.toMatchObject({ code: 'proposal-already-bound' });
    expect(await consensus.outcome(opened.id)).toEqual({ status: 'open', tally: null, binding: boundTo, closedAt: null });
  } finally {
    await lanterne.stop();
  }
}, 60_000);
