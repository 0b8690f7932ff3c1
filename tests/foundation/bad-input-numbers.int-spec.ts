import { bearer, createTestApp, TestApp } from '../support/test-app';

/** Integers in query strings and paths are decimal digits and nothing else, on every route that takes one. */

let app: TestApp;
let ccj: string;
let technician: string;
/** Each list route with its integer paging parameters: limit and offset, or a feed's limit and since (a cursor). */
let listRoutes: [string, string[]][];

beforeAll(async () => {
  app = await createTestApp();
  ccj = await app.tokenFor('ccj');
  technician = await app.tokenFor('technician');
  const document = (await app.http.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> };
  listRoutes = Object.entries(document.paths)
    .filter(([, methods]) => methods.get?.parameters?.some((p) => p.in === 'query' && p.name === 'limit'))
    .map(([path, methods]): [string, string[]] => [path, ['limit', 'offset', 'since'].filter((name) => methods.get?.parameters?.some((p) => p.in === 'query' && p.name === name))]);
});
afterAll(() => app.close());

/** Written as they would reach the server: `%20` is a space, `%2B` a plus sign. */
const NOT_DECIMAL = ['0x10', '%205', '5%20', '', '1e1', '%2B5', '5.0', '-1', '05', '%EF%BC%95', '9999999999999999', 'five'];

/** What a list route needs besides its page. */
const REQUIRED: Record<string, Record<string, string>> = { '/api/v1/ip-assignments': { address: '192.0.2.1' } };

/** The list routes only the ccj circle, or only technicians, may read; the others are read as admin. */
const CCJ_ROUTES = new Set(['/api/v1/legal-requests']);
const TECHNICIAN_ROUTES = new Set(['/api/v1/rectifications']);

/** A route whose integer parameters are all valid, with where the one under test goes. */
const ledgerRoutes: [string, Record<string, string>][] = [
  ['/api/v1/ledger/entries', { start: '0', end: '1' }],
  ['/api/v1/ledger/proofs/inclusion', { index: '0', treeSize: '1' }],
  ['/api/v1/ledger/proofs/consistency', { first: '1', second: '1' }],
  ['/api/v1/public/admin-actions', { treeSize: '1' }],
];

const withQuery = (path: string, query: Record<string, string>) => `${path}?${Object.entries(query).map(([k, v]) => `${k}=${v}`).join('&')}`;

async function expectRefused(url: string, token: string, param: string): Promise<void> {
  const r = await app.http.get(url).set(bearer(token));
  expect({ url, status: r.status, type: r.headers['content-type'] }).toEqual({ url, status: 400, type: expect.stringMatching(/^application\/problem\+json/) });
  expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual([param]);
}

describe('integer query parameters are strict decimal integers', () => {
  it('every-list-route-refuses-a-limit-or-offset-that-is-not-a-decimal-integer', async () => {
    expect(listRoutes.length).toBeGreaterThanOrEqual(9);
    for (const [route, params] of listRoutes) {
      const path = route.replace('{id}', '00000000-0000-4000-8000-000000000000');
      const required = REQUIRED[route] ?? {};
      for (const param of params) {
        for (const value of NOT_DECIMAL) await expectRefused(withQuery(path, { ...required, [param]: value }), CCJ_ROUTES.has(route) ? ccj : TECHNICIAN_ROUTES.has(route) ? technician : app.adminToken, param);
      }
    }
  });

  it('limit-stays-within-1-to-500', async () => {
    await expectRefused('/api/v1/subscribers?limit=0', app.adminToken, 'limit');
    await expectRefused('/api/v1/subscribers?limit=501', app.adminToken, 'limit');
    const r = await app.http.get('/api/v1/subscribers?limit=500&offset=0').set(bearer(app.adminToken));
    expect(r.body).toMatchObject({ limit: 500, offset: 0 });
  });

  it('absent-values-take-their-defaults', async () => {
    const r = await app.http.get('/api/v1/users').set(bearer(app.adminToken));
    expect(r.body).toMatchObject({ limit: 50, offset: 0 });
    const given = await app.http.get('/api/v1/users?limit=7&offset=1').set(bearer(app.adminToken));
    expect(given.body).toMatchObject({ limit: 7, offset: 1 });
  });

  it('ledger-indices-and-tree-sizes-refuse-the-same-values', async () => {
    for (const [path, query] of ledgerRoutes) {
      expect((await app.http.get(withQuery(path, query)).set(bearer(app.adminToken))).status).toBe(200);
      for (const param of Object.keys(query)) {
        for (const value of NOT_DECIMAL) await expectRefused(withQuery(path, { ...query, [param]: value }), app.adminToken, param);
      }
    }
    for (const value of NOT_DECIMAL.filter((v) => v !== '')) await expectRefused(`/api/v1/ledger/entries/${value}/personal?purpose=audit%20check`, ccj, 'index');
  });
});
