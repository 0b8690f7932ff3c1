import { Client } from 'pg';
import { IpImportService } from '../../src/ipam/ip-import.service';
import { FeedPruning } from '../../src/provisioning/feed-pruning.service';
import { FEED_LOCK } from '../../src/provisioning/provisioning.store';
import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { bearer, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;

beforeAll(async () => ({ app, tech } = await createTechnicianApp()));
afterAll(() => app.close());

interface Change {
  seq: number;
  kind: string;
  subscriptionId: string;
  details: Record<string, string | null>;
}

const feedAfter = async (since: number): Promise<Change[]> => (await app.http.get('/api/v1/provisioning/changes').set(bearer(tech)).query({ since: String(since), limit: '500' }).expect(200)).body.items;
const lastSeq = async () => Number((await app.sql<{ seq: string | null }>(`SELECT max(seq) AS seq FROM provisioning_changes`))[0].seq ?? 0);

describe('the change feed records what routers hold', () => {
  it('records-an-assignment-and-the-release-of-every-block-when-a-subscription-ends', async () => {
    const v4 = await makePool(app, tech, '192.0.2.0/24', 32);
    const v6 = await makePool(app, tech, '2001:db8::/48', 56);
    const subscriptionId = await makeActiveSubscription(app, tech);
    const since = await lastSeq();
    const a = (await assign(app, tech, subscriptionId, { poolId: v4.id })).body;
    const b = (await assign(app, tech, subscriptionId, { poolId: v6.id })).body;
    await app.http.post(`/api/v1/subscriptions/${subscriptionId}/end`).set(bearer(tech)).send({}).expect(200);
    const at = app.clock.now().toISOString();
    const changes = (await feedAfter(since)).map(({ kind, subscriptionId: s, details }) => ({ kind, s, details }));
    expect(changes.slice(0, 2)).toEqual([
      { kind: 'assignment.created', s: subscriptionId, details: { assignmentId: a.id, poolId: v4.id, prefix: a.prefix } },
      { kind: 'assignment.created', s: subscriptionId, details: { assignmentId: b.id, poolId: v6.id, prefix: b.prefix } },
    ]);
    const byAssignment = (x: { details: Record<string, string | null> }, y: { details: Record<string, string | null> }) => String(x.details.assignmentId).localeCompare(String(y.details.assignmentId));
    expect(changes.slice(2).sort(byAssignment)).toEqual(
      [a, b].map((x) => ({ kind: 'assignment.released', s: subscriptionId, details: { assignmentId: x.id, prefix: x.prefix, validUntil: at } })).sort(byAssignment),
    );
  });

  it('an-import-records-its-current-assignments-and-not-its-history', async () => {
    await makePool(app, tech, '198.51.100.0/24', 32);
    const subscriptionId = await makeActiveSubscription(app, tech, { startsAt: '2020-01-01T00:00:00Z' });
    const since = await lastSeq();
    const report = await app.lanterne.app.get(IpImportService).importAssignments(
      [`${subscriptionId},198.51.100.10,2021-01-01T00:00:00Z,2022-01-01T00:00:00Z`, `${subscriptionId},198.51.100.11,2022-03-01T00:00:00Z,`].join('\n'),
    );
    expect(report).toEqual({ imported: 2, rejected: [] });
    expect((await feedAfter(since)).map((change) => [change.kind, change.details.prefix])).toEqual([['assignment.created', '198.51.100.11/32']]);
  });

  it('a-refused-import-records-nothing', async () => {
    const subscriptionId = await makeActiveSubscription(app, tech, { startsAt: '2020-01-01T00:00:00Z' });
    const since = await lastSeq();
    const report = await app.lanterne.app.get(IpImportService).importAssignments([`${subscriptionId},198.51.100.20,2022-03-01T00:00:00Z,`, `${subscriptionId},203.0.113.1,2022-03-01T00:00:00Z,`].join('\n'));
    expect(report.imported).toBe(0);
    expect(await feedAfter(since)).toEqual([]);
  });

  it('a-change-becomes-visible-only-after-every-smaller-sequence-number-has-committed-or-rolled-back', async () => {
    const pool = await makePool(app, tech, '203.0.113.0/24', 32);
    const subscriptionId = await makeActiveSubscription(app, tech);
    const since = await lastSeq();
    // Another writer of the feed holds a smaller sequence number in a transaction still open.
    const other = new Client({ connectionString: app.databaseUrl });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT pg_advisory_xact_lock($1)', [FEED_LOCK]);
      const [{ seq: first }] = (
        await other.query(`INSERT INTO provisioning_changes (kind, subscription_id, details, at) VALUES ('peer.changed', $1, '{}', $2) RETURNING seq`, [subscriptionId, app.clock.now()])
      ).rows;
      let done = false;
      const assigned = assign(app, tech, subscriptionId, { poolId: pool.id }).then((response) => {
        done = true;
        return response;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(done).toBe(false);
      expect(await feedAfter(since)).toEqual([]);
      await other.query('COMMIT');
      expect((await assigned).status).toBe(201);
      expect((await feedAfter(since)).map((change) => [change.seq, change.kind])).toEqual([
        [Number(first), 'peer.changed'],
        [Number(first) + 1, 'assignment.created'],
      ]);
    } finally {
      await other.end();
    }
  });

  it('changes-leave-the-feed-after-its-retention-and-an-older-cursor-is-told-to-resynchronise', async () => {
    const pool = await makePool(app, tech, '198.18.0.0/24', 32);
    const subscriptionId = await makeActiveSubscription(app, tech);
    await assign(app, tech, subscriptionId, { poolId: pool.id });
    const old = await lastSeq();
    const upToOld = async () => Number((await app.sql<{ n: string }>(`SELECT count(*) AS n FROM provisioning_changes WHERE seq <= $1`, [old]))[0].n);
    const recorded = await upToOld();
    app.clock.advance(30 * 24 * 3600 * 1000);
    const pruning = app.lanterne.app.get(FeedPruning);
    expect(await pruning.prune()).toBe(0);
    await assign(app, tech, subscriptionId, { poolId: pool.id });
    app.clock.advance(1);
    expect(await pruning.prune()).toBe(recorded);
    expect(await upToOld()).toBe(0);

    const behind = await app.http.get('/api/v1/provisioning/changes').set(bearer(tech)).query({ since: String(old - 1) });
    expect(behind.status).toBe(409);
    expect(behind.body).toMatchObject({ type: 'urn:lanterne:problem:feed-horizon-passed', prunedThrough: old });
    expect((await feedAfter(old)).map((change) => change.seq)).toEqual([old + 1]);
  });
});
