import { makeActiveSubscription } from '../factories/network.factory';
import { call, expectBadInput, expectForbidden, Method, outsiderTokens, withIds } from '../support/refusals';
import { TestApp } from '../support/test-app';
import { createTechnicianApp } from '../support/technician-app';

let app: TestApp;
let tech: string;
let outsiders: { ccj: string; member: string };
let subscriptionId: string;
let cpeId: string;
const TABLES = ['cpe', 'cpe_mac_addresses', 'cpe_loans'];

beforeAll(async () => {
  ({ app, tech } = await createTechnicianApp());
  outsiders = await outsiderTokens(app, tech);
  subscriptionId = await makeActiveSubscription(app, tech);
  cpeId = (await call(app, tech, 'post', '/api/v1/cpe', { model: 'Omnia', serial: 'SN-1', macAddresses: ['02:00:00:00:00:01'] })).body.id;
});
afterAll(() => app.close());

const fill = <T>(value: T): T => withIds(value, { subscription: subscriptionId, cpe: cpeId });

describe('bad input on every CPE route: a 400 problem naming the field, and nothing written', () => {
  const cases: [Method, string, object | undefined, string][] = [
    ['post', '/api/v1/cpe', { model: 'x', serial: 'S', macAddresses: ['02:00:00:00:00'] }, 'macAddresses.0'],
    ['post', '/api/v1/cpe', { model: 'x', serial: 'S', macAddresses: ['02:00:00:00:00:09', '02-00-00-00-00-09'] }, 'macAddresses'],
    ['post', '/api/v1/cpe', { model: 'x', serial: 'S', macAddresses: [] }, 'macAddresses'],
    ['post', '/api/v1/cpe', { model: 'x', serial: '  ', macAddresses: ['02:00:00:00:00:0a'] }, 'serial'],
    ['post', '/api/v1/cpe', { serial: 'S', macAddresses: ['02:00:00:00:00:0a'] }, 'model'],
    ['post', '/api/v1/cpe', { model: 'x', serial: 'S', macAddresses: ['02:00:00:00:00:0a'], status: 'assigned' }, ''],
    ['get', '/api/v1/cpe?status=lost', undefined, 'status'],
    ['get', '/api/v1/cpe/not-a-uuid', undefined, 'id'],
    ['get', '/api/v1/cpe/not-a-uuid/history', undefined, 'id'],
    ['get', '/api/v1/cpe/to-collect?limit=x', undefined, 'limit'],
    ['post', '/api/v1/cpe/:cpe/assign', { subscriptionId: 'alice' }, 'subscriptionId'],
    ['post', '/api/v1/cpe/:cpe/assign', {}, 'subscriptionId'],
    ['post', '/api/v1/cpe/not-a-uuid/assign', { subscriptionId: ':subscription' }, 'id'],
    ['post', '/api/v1/cpe/:cpe/return', { condition: 'lost' }, 'condition'],
  ];
  it.each(cases)('%s %s %j → 400 on %p', (method, path, body, field) => expectBadInput(app, tech, TABLES, method, fill(path), fill(body), field));
});

describe('roles: ccj and members are refused every CPE route', () => {
  const routes: [Method, string, object | undefined][] = [
    ['post', '/api/v1/cpe', { model: 'x', serial: 'SN-2', macAddresses: ['02:00:00:00:00:02'] }],
    ['get', '/api/v1/cpe', undefined],
    ['get', '/api/v1/cpe/to-collect', undefined],
    ['get', '/api/v1/cpe/:cpe', undefined],
    ['get', '/api/v1/cpe/:cpe/history', undefined],
    ['post', '/api/v1/cpe/:cpe/assign', { subscriptionId: ':subscription' }],
    ['post', '/api/v1/cpe/:cpe/return', { condition: 'ok' }],
  ];
  for (const role of ['ccj', 'member'] as const) {
    it.each(routes)(`%s %s is 403 for ${role}`, (method, path, body) => expectForbidden(app, outsiders[role], TABLES, method, fill(path), fill(body)));
  }

  it('admins-may-use-them-too', async () => {
    expect((await call(app, app.adminToken, 'post', fill('/api/v1/cpe/:cpe/assign'), { subscriptionId })).status).toBe(200);
  });
});
