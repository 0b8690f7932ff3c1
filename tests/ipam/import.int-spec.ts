import { IpImportService } from '../../src/ipam/ip-import.service';
import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { bearer, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;
let importer: IpImportService;
let alice: string;
let bob: string;

beforeAll(async () => {
  ({ app, tech } = await createTechnicianApp());
  importer = app.lanterne.app.get(IpImportService);
  await makePool(app, tech, '192.0.2.0/24', 32, { quarantineDays: 30 });
  await makePool(app, tech, '2001:db8::/32', 48);
  alice = await makeActiveSubscription(app, tech, { startsAt: '2020-01-01T00:00:00Z' });
  bob = await makeActiveSubscription(app, tech, { startsAt: '2020-01-01T00:00:00Z' });
});
afterAll(() => app.close());

const countAssignments = async () => Number((await app.sql<{ n: string }>(`SELECT count(*) AS n FROM ip_assignments`))[0].n);

describe('import-assignments', () => {
  it('imports-a-clean-file-with-history-and-current-assignments-in-one-go', async () => {
    const progress: number[] = [];
    const report = await importer.importAssignments(
      [
        'subscription,prefix,from,until',
        `${alice},192.0.2.10,2021-01-01T00:00:00Z,2022-01-01T00:00:00Z`,
        `${bob},192.0.2.10/32,2022-03-01T00:00:00Z,`,
        '',
        `${alice},2001:DB8:1::/48,2021-01-01T00:00:00+01:00,`,
      ].join('\r\n'),
      (done) => progress.push(done),
    );
    expect(report).toEqual({ imported: 3, rejected: [] });
    expect(progress).toEqual([1, 2, 3]);
    const rows = await app.sql(`SELECT subscription_id, prefix::text, valid_until, quarantine_until FROM ip_assignments ORDER BY valid_from, prefix`);
    expect(rows).toEqual([
      { subscription_id: alice, prefix: '2001:db8:1::/48', valid_until: null, quarantine_until: null },
      { subscription_id: alice, prefix: '192.0.2.10/32', valid_until: new Date('2022-01-01T00:00:00Z'), quarantine_until: new Date('2022-01-31T00:00:00Z') },
      { subscription_id: bob, prefix: '192.0.2.10/32', valid_until: null, quarantine_until: null },
    ]);
    const lookup = await app.http.get('/api/v1/ip-assignments').query({ address: '192.0.2.10', at: '2021-06-01T00:00:00Z', purpose: 'import check' }).set(bearer(tech));
    expect(lookup.body.items.map((i: { subscriptionId: string }) => i.subscriptionId)).toEqual([alice]);
  });

  it('imports-nothing-when-a-line-is-bad-and-reports-every-bad-line-with-its-reason', async () => {
    const before = await countAssignments();
    const report = await importer.importAssignments(
      [
        `${alice},192.0.2.20,2021-01-01T00:00:00Z,2021-06-01T00:00:00Z`,
        `${alice},192.0.2.21,yesterday,`,
        `${bob},192.0.2.20,2021-02-01T00:00:00Z,`,
        `${bob},198.51.100.1,2021-02-01T00:00:00Z,`,
        `${bob},192.0.2.0,2021-02-01T00:00:00Z,`,
        `not-a-uuid,192.0.2.22,2021-02-01T00:00:00Z,`,
        `00000000-0000-4000-8000-000000000000,192.0.2.23,2021-02-01T00:00:00Z,`,
        `${bob},192.0.2.24,2021-02-01T00:00:00Z`,
        `${bob},192.0.2.25,2019-02-01T00:00:00Z,`,
        `${bob},192.0.2.26,2021-02-01T00:00:00Z,2099-01-01T00:00:00Z`,
        `${bob},192.0.2.27,2021-02-01T00:00:00Z,`,
      ].join('\n'),
    );
    expect(report.imported).toBe(0);
    expect(report.rejected).toEqual([
      { line: 2, reason: expect.stringContaining('from "yesterday" is not an RFC 3339 timestamp') },
      { line: 3, reason: expect.stringContaining('overlaps another assignment') },
      { line: 4, reason: 'no pool contains 198.51.100.1/32' },
      { line: 5, reason: expect.stringContaining('first address of pool') },
      { line: 6, reason: expect.stringContaining('is not a UUID') },
      { line: 7, reason: expect.stringContaining('No subscription') },
      { line: 8, reason: expect.stringContaining('expected 4 columns') },
      { line: 9, reason: expect.stringContaining('before the subscription starts') },
      { line: 10, reason: expect.stringContaining('future') },
    ]);
    expect(await countAssignments()).toBe(before);
  });

  it('refuses-a-line-that-overlaps-what-is-already-assigned', async () => {
    const pool = await makePool(app, tech, '198.51.100.0/24', 32);
    const held = (await assign(app, tech, alice, { poolId: pool.id })).body;
    const before = await countAssignments();
    const report = await importer.importAssignments(`${bob},${held.prefix},2021-01-01T00:00:00Z,`);
    expect(report).toEqual({ imported: 0, rejected: [{ line: 1, reason: `${held.prefix} overlaps another assignment of the same block, or its quarantine` }] });
    expect(await countAssignments()).toBe(before);
  });
});
