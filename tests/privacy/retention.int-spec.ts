import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { IpImportService } from '../../src/ipam/ip-import.service';
import { RETENTION_CATEGORIES } from '../../src/privacy/retention-categories';
import { RETENTION_SCHEDULE } from '../../src/privacy/retention.service';
import { assign, makePool } from '../factories/network.factory';
import { makeSubscriber, makeSubscription } from '../factories/subscriber.factory';
import { storedLeaves } from '../support/ledger';
import { countRows, expectBadInput, expectForbidden, outsiderTokens } from '../support/refusals';
import { bearer, createTestApp, TEST_REDIS, TestApp } from '../support/test-app';

/**
 * Retention in the Belgian profile (the default), travelling in time with the test clock: what a run
 * purges, what it keeps, what the ledger says of it. The French profile: retention-fr.int-spec.ts.
 */

const V = '/api/v1';
const purpose = 'ticket 812: abuse complaint about this address';

let app: TestApp;
let tech: string;
let poolId: string;

beforeAll(async () => {
  // The schedulers' check every 300 ms, so that a lost one comes back within the test.
  app = await createTestApp({ LANTERNE_JOB_SCHEDULE_CHECK_MS: '300' });
  tech = await app.tokenFor('technician');
  poolId = (await makePool(app, tech, '192.0.2.0/24', 32, { quarantineDays: 30 })).id;
});
afterAll(() => app.close());

const run = () => app.http.post(`${V}/admin/retention/run`).set(bearer(app.adminToken));
const lookup = (address: string, at: string) => app.http.get(`${V}/ip-assignments`).query({ address, at, purpose }).set(bearer(tech));
const holders = async (address: string, at: string) => {
  const r = await lookup(address, at);
  expect(r.status).toBe(200);
  return r.body.items.map((item: { id: string }) => item.id);
};
const release = (id: string, at: string) => app.http.post(`${V}/ip-assignments/${id}/release`).set(bearer(tech)).send({ at }).expect(200);
const setPolicy = (category: string, body: object, token = app.adminToken) => app.http.put(`${V}/admin/retention/policies/${category}`).set(bearer(token)).send(body);
const entries = async (action: string) => (await storedLeaves(app)).filter((entry) => entry.action === action);
const verify = async () => (await app.http.get(`${V}/ledger/verify`).set(bearer(app.adminToken))).body;

/** A member with one subscription started at `startsAt`; answers both ids. */
async function member(startsAt = '2025-01-01T00:00:00Z'): Promise<{ subscriberId: string; subscriptionId: string }> {
  const subscriber = await makeSubscriber(app, tech);
  const subscription = await makeSubscription(app, tech, subscriber.id, { startsAt });
  return { subscriberId: subscriber.id, subscriptionId: subscription.id };
}

it('a-start-runs-no-purge-of-its-own-the-schedule-waits-for-03-00-utc', async () => {
  // An interval scheduler would have run at once: a worker's first jobs start within milliseconds.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  expect(await entries('retention.ran')).toEqual([]);
  const scheduler = await app.lanterne.app.get<Queue>(getQueueToken('privacy')).getJobScheduler('retention');
  expect(new Date(scheduler!.next as number).toISOString()).toMatch(/T03:00:00\.000Z$/);
});

describe('ip-history', () => {
  let ended: { id: string; prefix: string };
  let current: { id: string; prefix: string };

  beforeAll(async () => {
    app.clock.set('2026-06-01T12:00:00Z');
    const { subscriptionId } = await member();
    ended = (await assign(app, tech, subscriptionId, { poolId, prefix: '192.0.2.10', validFrom: '2025-01-10T00:00:00Z' })).body;
    await release(ended.id, '2025-06-10T00:00:00Z');
    current = (await assign(app, tech, subscriptionId, { poolId, prefix: '192.0.2.11', validFrom: '2025-01-10T00:00:00Z' })).body;
  });

  it('keeps-an-assignment-until-365-days-after-its-validUntil', async () => {
    const r = await run();
    expect(r.status).toBe(200);
    // Every category has its count (those of contexts other than these two included).
    expect(r.body).toEqual({ purged: expect.objectContaining({ 'ip-history': 0, 'subscription-data': 0 }) });
    expect(await holders('192.0.2.10', '2025-06-01T00:00:00Z')).toEqual([ended.id]);
  });

  it('purges-it-once-past-the-policy-so-an-at-time-lookup-finds-nothing', async () => {
    app.clock.set('2026-06-10T00:00:01Z');
    expect((await run()).body.purged['ip-history']).toBe(1);
    expect(await holders('192.0.2.10', '2025-06-01T00:00:00Z')).toEqual([]);
    const read = await app.http.get(`${V}/ip-assignments/${ended.id}`).query({ purpose }).set(bearer(tech));
    expect(read.status).toBe(404);
  });

  it('never-purges-a-current-assignment', async () => {
    app.clock.set('2027-06-01T00:00:00Z');
    await run().expect(200);
    expect(await holders('192.0.2.11', '2025-02-01T00:00:00Z')).toEqual([current.id]);
    expect(await holders('192.0.2.11', app.clock.now().toISOString())).toEqual([current.id]);
  });

  it('purges-imported-backdated-history-in-a-normal-run', async () => {
    const { subscriptionId } = await member('2020-01-01T00:00:00Z');
    const report = await app.lanterne.app.get(IpImportService).importAssignments(
      [`${subscriptionId},192.0.2.20,2021-01-01T00:00:00Z,2022-01-01T00:00:00Z`, `${subscriptionId},192.0.2.21,2021-01-01T00:00:00Z,`].join('\n'),
    );
    expect(report).toEqual({ imported: 2, rejected: [] });
    expect((await holders('192.0.2.20', '2021-06-01T00:00:00Z')).length).toBe(1);

    expect((await run()).body.purged['ip-history']).toBe(1);
    expect(await holders('192.0.2.20', '2021-06-01T00:00:00Z')).toEqual([]);
    expect((await holders('192.0.2.21', '2021-06-01T00:00:00Z')).length).toBe(1);
  });
});

describe('subscription-data', () => {
  let subscriberId: string;
  let lookupIndex: number;

  beforeAll(async () => {
    app.clock.set('2027-07-01T10:00:00Z');
    ({ subscriberId } = await member('2027-01-01T00:00:00Z'));
    const subscriptionId = (await app.sql<{ id: string }>('SELECT id FROM subscriptions WHERE subscriber_id = $1', [subscriberId]))[0].id;
    await assign(app, tech, subscriptionId, { poolId, prefix: '192.0.2.30', validFrom: '2027-02-01T00:00:00Z' });
    // A past lookup that found them: its typed purpose and the address are personal values about them.
    await holders('192.0.2.30', '2027-03-01T00:00:00Z');
    lookupIndex = (await entries('ip-history.looked-up')).filter((entry) => entry.subject === subscriberId).map((entry) => entry.index)[0];
    await app.http.post(`${V}/subscribers/${subscriberId}/terminate`).set(bearer(tech)).send({ at: '2027-07-01T00:00:00Z' }).expect(200);
  });

  const subscriber = async () => (await app.http.get(`${V}/subscribers/${subscriberId}`).set(bearer(tech))).body;
  const heldValues = async () => app.sql('SELECT name FROM ledger_personal_values WHERE leaf_index = $1 AND sealed IS NOT NULL ORDER BY name', [lookupIndex]);

  it('keeps-a-terminated-members-record-for-365-days', async () => {
    app.clock.set('2028-06-30T00:00:00Z');
    expect((await run()).body.purged['subscription-data']).toBe(0);
    expect(await subscriber()).toMatchObject({ displayName: expect.any(String), email: expect.any(String), erasedAt: null });
    expect(await heldValues()).toEqual([{ name: 'address' }, { name: 'purpose' }]);
  });

  it('then-erases-its-name-and-email-keeps-the-row-and-the-ledgers-values-about-them', async () => {
    app.clock.set('2028-07-02T00:00:00Z');
    const r = await run();
    expect(r.body.purged).toMatchObject({ 'ip-history': 1, 'subscription-data': 1 });
    const erased = await subscriber();
    expect(erased).toMatchObject({ id: subscriberId, memberNumber: expect.any(Number), status: 'terminated', displayName: null, email: null, erasedAt: '2028-07-02T00:00:00.000Z' });
    expect(await app.sql('SELECT count(*)::int AS n FROM subscriptions WHERE subscriber_id = $1', [subscriberId])).toEqual([{ n: 1 }]);
    expect(await heldValues()).toEqual([]);
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('erases-a-member-only-once', async () => {
    expect((await run()).body.purged['subscription-data']).toBe(0);
  });
});

describe('policy overrides', () => {
  it('lists-each-category-with-the-profile-figure-its-source-and-no-override', async () => {
    const r = await app.http.get(`${V}/admin/retention/policies`).set(bearer(app.adminToken));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ jurisdiction: 'be', profile: 'Belgium' });
    // Every category of the list, in its order (those of contexts other than these two included).
    expect(r.body.items.map((item: { category: string }) => item.category)).toEqual([...RETENTION_CATEGORIES]);
    const [ipHistory, subscriptionData] = ['ip-history', 'subscription-data'].map((category) => r.body.items.find((item: { category: string }) => item.category === category));
    expect(ipHistory).toEqual({
      category: 'ip-history',
      days: 365,
      profile: expect.objectContaining({ days: 365, figure: '12 months', from: expect.stringContaining('validUntil'), source: { citation: expect.stringContaining('art. 126') } }),
      override: null,
    });
    expect(subscriptionData).toEqual({ category: 'subscription-data', days: 365, profile: expect.objectContaining({ days: 365, source: expect.anything() }), override: null });
  });

  it('a-shorter-override-changes-what-a-run-purges-and-a-quarantine-still-holds', async () => {
    app.clock.set('2028-08-01T00:00:00Z');
    const { subscriptionId } = await member('2028-01-01T00:00:00Z');
    const block = (await assign(app, tech, subscriptionId, { poolId, prefix: '192.0.2.40', validFrom: '2028-02-01T00:00:00Z' })).body;
    await release(block.id, '2028-07-01T00:00:00Z'); // quarantine until 2028-07-31
    const recent = (await assign(app, tech, subscriptionId, { poolId, prefix: '192.0.2.41', validFrom: '2028-02-01T00:00:00Z' })).body;
    await release(recent.id, '2028-07-20T00:00:00Z'); // in quarantine until 2028-08-19
    expect((await run()).body.purged['ip-history']).toBe(0);

    const set = await setPolicy('ip-history', { days: 7 });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ category: 'ip-history', days: 7, override: { days: 7, justification: null, setBy: expect.any(String), setAt: '2028-08-01T00:00:00.000Z' } });
    expect((await run()).body.purged['ip-history']).toBe(1);
    expect(await holders('192.0.2.40', '2028-03-01T00:00:00Z')).toEqual([]);
    // Ended more than 7 days ago, but its block is still in quarantine: the row that keeps it there stays.
    expect(await holders('192.0.2.41', '2028-03-01T00:00:00Z')).toEqual([recent.id]);
    app.clock.set('2028-08-25T00:00:00Z');
    expect((await run()).body.purged['ip-history']).toBe(1);
  });

  it('refuses-a-value-longer-than-the-profile-without-a-justification-and-changes-nothing', async () => {
    const before = await countRows(app, ['ledger_leaves']);
    const r = await setPolicy('ip-history', { days: 400 });
    expect(r.status).toBe(422);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(r.body).toMatchObject({ status: 422, profileDays: 365, errors: [{ path: 'justification' }] });
    expect(await countRows(app, ['ledger_leaves'])).toEqual(before);
    expect((await app.http.get(`${V}/admin/retention/policies`).set(bearer(app.adminToken))).body.items[0].days).toBe(7);
  });

  it('takes-a-longer-value-with-its-justification-recorded-in-the-ledger', async () => {
    const justification = 'Board decision 2028-12: pending court case needs one more month of history';
    const r = await setPolicy('ip-history', { days: 400, justification });
    expect(r.status).toBe(200);
    const listed = (await app.http.get(`${V}/admin/retention/policies`).set(bearer(app.adminToken))).body.items[0];
    expect(listed).toMatchObject({ days: 400, profile: { days: 365 }, override: { days: 400, justification } });

    const [, last] = await entries('retention.policy-changed');
    expect(last).toMatchObject({
      actor: { role: 'admin' },
      refs: { category: 'ip-history', days: 400, previousDays: 7, profileDays: 365, jurisdiction: 'be' },
      personal: { justification: expect.stringMatching(/^[0-9a-f]{64}$/) },
    });
    expect(JSON.stringify(last)).not.toContain('court case');
  });

  it('answers-404-for-an-unknown-category-and-writes-nothing', async () => {
    const before = await countRows(app, ['ledger_leaves', 'retention_policy_overrides']);
    const r = await setPolicy('cpe-loans', { days: 10 });
    expect(r.status).toBe(404);
    expect(r.body.detail).toContain('ip-history, subscription-data');
    expect(await countRows(app, ['ledger_leaves', 'retention_policy_overrides'])).toEqual(before);
  });
});

describe('the ledger of runs', () => {
  it('records-each-run-with-its-counts-and-the-policies-it-applied-and-still-verifies', async () => {
    const runs = await entries('retention.ran');
    expect(runs.length).toBeGreaterThan(5);
    const erasing = runs.find((entry) => entry.refs['purged.subscription-data'] === 1);
    expect(erasing).toMatchObject({
      actor: { role: 'admin' },
      refs: { 'purged.ip-history': 1, 'purged.subscription-data': 1, 'keepDays.ip-history': 365, 'keepDays.subscription-data': 365, erasedSubjects: 1, erasedLedgerValues: 2 },
    });
    expect(await verify()).toMatchObject({ ok: true, treeSize: expect.any(Number) });
  });
});

describe('two runs at once', () => {
  it('purge-each-row-once-one-after-the-other', async () => {
    const { subscriptionId } = await member('2026-01-01T00:00:00Z');
    const block = (await assign(app, tech, subscriptionId, { poolId, prefix: '192.0.2.50', validFrom: '2026-02-01T00:00:00Z' })).body;
    await release(block.id, '2027-01-01T00:00:00Z');
    const before = (await entries('retention.ran')).length;
    const answers = await Promise.all([run(), run()]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    expect(answers.map((r) => r.body.purged['ip-history']).sort()).toEqual([0, 1]);
    expect(await entries('retention.ran')).toHaveLength(before + 2);
  });
});

describe('bad input and roles', () => {
  const tables = ['retention_policy_overrides', 'ledger_leaves', 'ip_assignments', 'subscribers'];

  it.each([
    [{ days: -1 }, 'days'],
    [{ days: 1.5 }, 'days'],
    [{ days: '30' }, 'days'],
    [{ days: 36501 }, 'days'],
    [{}, 'days'],
    [{ days: 30, justification: '' }, 'justification'],
    [{ days: 30, justification: 'a\u0000b' }, 'justification'],
    [{ days: 30, keep: 'forever' }, ''],
  ])('refuses-a-policy-of-%j-naming-%s', async (body, field) => {
    await expectBadInput(app, app.adminToken, tables, 'put', `${V}/admin/retention/policies/ip-history`, body, field);
  });

  it('refuses-malformed-json-on-both-writes', async () => {
    for (const path of [`${V}/admin/retention/policies/ip-history`, `${V}/admin/retention/run`]) {
      const before = await countRows(app, tables);
      const method = path.endsWith('run') ? 'post' : 'put';
      const r = await app.http[method](path).set(bearer(app.adminToken)).set('content-type', 'application/json').send('{"days":');
      expect(r.status).toBe(400);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(await countRows(app, tables)).toEqual(before);
    }
  });

  it('is-for-admins-only', async () => {
    const { ccj, member: memberToken } = await outsiderTokens(app, tech);
    for (const token of [tech, ccj, memberToken]) {
      await expectForbidden(app, token, tables, 'get', `${V}/admin/retention/policies`, undefined);
      await expectForbidden(app, token, tables, 'put', `${V}/admin/retention/policies/ip-history`, { days: 1 });
      await expectForbidden(app, token, tables, 'post', `${V}/admin/retention/run`, {});
    }
    expect((await app.http.post(`${V}/admin/retention/run`)).status).toBe(401);
  });
});

describe('the daily job', () => {
  let redis: Redis;
  beforeAll(() => {
    redis = new Redis(TEST_REDIS);
  });
  afterAll(() => redis.quit());

  const queue = () => app.lanterne.app.get<Queue>(getQueueToken('privacy'));

  it('is-a-repeatable-job-run-daily-as-the-system', async () => {
    expect(await queue().getJobScheduler('retention')).toMatchObject({ key: 'retention', ...RETENTION_SCHEDULE });
    const before = (await entries('retention.ran')).length;
    await queue().add('retention', {});
    const deadline = Date.now() + 10_000;
    while ((await entries('retention.ran')).length === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const runs = await entries('retention.ran');
    expect(runs).toHaveLength(before + 1);
    expect(runs[runs.length - 1].actor).toEqual({ id: null, role: 'system' });
  });

  it('comes-back-after-the-queue-store-is-lost', async () => {
    const prefix = app.env.LANTERNE_QUEUE_PREFIX;
    const keys = await redis.keys(`${prefix}:privacy:*`);
    expect(keys).toContain(`${prefix}:privacy:repeat`);
    await redis.del(...keys);
    const deadline = Date.now() + 10_000;
    let scheduler = await queue().getJobScheduler('retention');
    while (!scheduler && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      scheduler = await queue().getJobScheduler('retention');
    }
    expect(scheduler).toMatchObject({ key: 'retention', ...RETENTION_SCHEDULE });
  });
});
