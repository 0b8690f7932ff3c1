import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { call, countRows, expectBadInput, expectForbidden, Method, outsiderTokens, withIds } from '../support/refusals';
import { bearer, TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;
let outsiders: { ccj: string; member: string };
let poolId: string;
let subscriptionId: string;
let assignmentId: string;
const TABLES = ['ip_pools', 'ip_assignments', 'ledger_leaves'];

beforeAll(async () => {
  ({ app, tech } = await createTechnicianApp());
  outsiders = await outsiderTokens(app, tech);
  poolId = (await makePool(app, tech, '192.0.2.0/24', 32)).id;
  subscriptionId = await makeActiveSubscription(app, tech);
  const assignment = await assign(app, tech, subscriptionId, { poolId });
  expect(assignment.status).toBe(201);
  assignmentId = assignment.body.id;
});
afterAll(() => app.close());

const fill = <T>(value: T): T => withIds(value, { pool: poolId, subscription: subscriptionId, assignment: assignmentId });

describe('bad input on every IPAM route: a 400 problem naming the field, and nothing written', () => {
  const cases: [Method, string, object | undefined, string][] = [
    ['post', '/api/v1/ip-pools', { name: 'a', prefix: '10.0.0.1/24', assignLength: 32 }, 'prefix'],
    ['post', '/api/v1/ip-pools', { name: 'a', prefix: '10.0.0.0/24', assignLength: 33 }, 'assignLength'],
    ['post', '/api/v1/ip-pools', { name: 'a', prefix: '10.0.0.0/24', assignLength: 23 }, 'assignLength'],
    ['post', '/api/v1/ip-pools', { name: 'a', prefix: '10.0.0.0/30', assignLength: 31 }, 'assignLength'],
    ['post', '/api/v1/ip-pools', { name: 'a', prefix: '10.0.0.0/24', assignLength: '32' }, 'assignLength'],
    ['post', '/api/v1/ip-pools', { name: 'a', prefix: '10.0.0.0/24', assignLength: 32, quarantineDays: -1 }, 'quarantineDays'],
    ['post', '/api/v1/ip-pools', { name: 'a', prefix: `10.0.0.0/${'2'.repeat(70)}`, assignLength: 32 }, 'prefix'],
    ['post', '/api/v1/ip-pools', { prefix: '10.0.0.0/24', assignLength: 32 }, 'name'],
    ['post', '/api/v1/ip-pools', { name: 'a', prefix: '10.0.0.0/24', assignLength: 32, family: 'ipv4' }, ''],
    ['get', '/api/v1/ip-pools?limit=0', undefined, 'limit'],
    ['get', '/api/v1/ip-pools/not-a-uuid', undefined, 'id'],
    ['post', '/api/v1/subscriptions/:subscription/ip-assignments', { poolId: 'pool-1' }, 'poolId'],
    ['post', '/api/v1/subscriptions/:subscription/ip-assignments', { poolId: ':pool', validFrom: 'last week' }, 'validFrom'],
    ['post', '/api/v1/subscriptions/:subscription/ip-assignments', { poolId: ':pool', prefix: '' }, 'prefix'],
    ['post', '/api/v1/subscriptions/:subscription/ip-assignments', { poolId: ':pool', prefix: '192.0.2.5/24' }, 'prefix'],
    ['post', '/api/v1/subscriptions/:subscription/ip-assignments', { poolId: ':pool', validUntil: null }, ''],
    ['post', '/api/v1/subscriptions/not-a-uuid/ip-assignments', { poolId: ':pool' }, 'id'],
    ['get', '/api/v1/subscriptions/:subscription/ip-assignments?offset=-1', undefined, 'offset'],
    ['get', '/api/v1/ip-assignments', undefined, 'address'],
    ['get', '/api/v1/ip-assignments?address=192.0.2.1&at=yesterday&purpose=support', undefined, 'at'],
    ['get', '/api/v1/ip-assignments?address=192.0.2.1&at=2025-01-01T00:00:00Z&purpose=x', undefined, 'purpose'],
    ['get', '/api/v1/ip-assignments?address=192.0.2.1&at=2025-01-01T00:00:00Z', undefined, 'purpose'],
    ['get', '/api/v1/ip-assignments?address=example.org', undefined, 'address'],
    ['get', '/api/v1/ip-assignments/not-a-uuid', undefined, 'id'],
    ['post', '/api/v1/ip-assignments/:assignment/release', { at: 'now' }, 'at'],
    ['post', '/api/v1/ip-assignments/:assignment/release', { at: '2026-01-01T00:00:00Z', reason: 'x' }, ''],
    ['post', '/api/v1/ip-assignments/not-a-uuid/release', {}, 'id'],
  ];
  it.each(cases)('%s %s %j → 400 on %p', (method, path, body, field) => expectBadInput(app, tech, TABLES, method, fill(path), fill(body), field));

  it('malformed-json-is-a-400-problem-and-creates-no-pool', async () => {
    const before = await countRows(app, TABLES);
    const r = await app.http.post('/api/v1/ip-pools').set(bearer(tech)).set('content-type', 'application/json').send('{"prefix": "10.0.0.0/8",');
    expect(r.status).toBe(400);
    expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(await countRows(app, TABLES)).toEqual(before);
  });
});

describe('roles: ccj and members are refused every IPAM route', () => {
  const routes: [Method, string, object | undefined][] = [
    ['post', '/api/v1/ip-pools', { name: 'x', prefix: '198.51.100.0/24', assignLength: 32 }],
    ['get', '/api/v1/ip-pools', undefined],
    ['get', '/api/v1/ip-pools/:pool', undefined],
    ['post', '/api/v1/subscriptions/:subscription/ip-assignments', { poolId: ':pool' }],
    ['get', '/api/v1/subscriptions/:subscription/ip-assignments', undefined],
    ['get', '/api/v1/ip-assignments?address=192.0.2.1&at=2025-01-01T00:00:00Z&purpose=curiosity', undefined],
    ['get', '/api/v1/ip-assignments/:assignment', undefined],
    ['post', '/api/v1/ip-assignments/:assignment/release', {}],
  ];
  for (const role of ['ccj', 'member'] as const) {
    it.each(routes)(`%s %s is 403 for ${role}`, (method, path, body) => expectForbidden(app, outsiders[role], TABLES, method, fill(path), fill(body)));
  }

  it('admins-may-use-them-too', async () => {
    const r = await call(app, app.adminToken, 'get', `/api/v1/ip-pools/${poolId}`);
    expect(r.status).toBe(200);
  });
});
