import { treeSize } from '../support/ledger';
import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;
let observer: string;
let operations: { method: string; path: string; roles: string[] }[];

const UNKNOWN = '00000000-0000-4000-8000-000000000000';
/** A path with each parameter given a well-formed value: what the answer then is does not matter, only that it is not a 403. */
const concrete = (path: string) => path.replace('{name}', 'ccj').replace('{category}', 'ip-history').replace('{index}', '0').replace('{zone}', 'example.org').replace(/\{[A-Za-z]+\}/g, UNKNOWN);

beforeAll(async () => {
  app = await createTestApp();
  observer = await app.tokenFor('observer');
  const document = (await app.http.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, { description: string; security?: unknown[] }>> };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([, operation]) => operation.security?.length)
      .map(([method, operation]) => ({ method, path, roles: (/Roles: ([a-z, ]+)\.$/.exec(operation.description)?.[1] ?? '').split(', ') })),
  );
});
afterAll(() => app.close());

describe('an observer', () => {
  it('is-admitted-on-every-route-an-admin-reads', async () => {
    const reads = operations.filter((op) => op.method === 'get' && op.roles.includes('admin'));
    expect(reads.length).toBeGreaterThan(20);
    for (const { path } of reads) {
      const r = await app.http.get(concrete(path)).set(bearer(observer));
      expect([path, r.status === 403 || r.status === 401]).toEqual([path, false]);
    }
  });

  it('is-refused-on-every-route-an-admin-writes-and-writes-nothing', async () => {
    const writes = operations.filter((op) => op.method !== 'get' && op.roles.includes('admin'));
    expect(writes.length).toBeGreaterThan(20);
    const before = await treeSize(app);
    const accounts = await app.sql('SELECT id, roles FROM accounts ORDER BY id');
    for (const { method, path } of writes) {
      const r = await app.http[method as 'post'](concrete(path)).set(bearer(observer)).send({});
      expect([method, path, r.status]).toEqual([method, path, 403]);
    }
    expect(await treeSize(app)).toBe(before);
    expect(await app.sql('SELECT id, roles FROM accounts ORDER BY id')).toEqual(accounts);
  });

  it('reads-a-board-proposal-as-an-admin-does-without-sitting-on-the-board', async () => {
    const [admin] = await app.sql<{ id: string }>(`SELECT id FROM accounts WHERE 'admin' = ANY (roles)`);
    await app.http.post('/api/v1/circles/board/members').set(bearer(app.adminToken)).send({ accountId: admin.id }).expect(201);
    const opened = await app.http.post('/api/v1/proposals').set(bearer(app.adminToken)).send({ title: 'Charte', body: 'Texte.', circle: 'board' }).expect(201);
    expect((await app.http.get(`/api/v1/proposals/${opened.body.id}`).set(bearer(observer))).status).toBe(200);
    expect((await app.http.post(`/api/v1/proposals/${opened.body.id}/positions`).set(bearer(observer)).send({ position: 'consent' })).status).toBe(403);
  });
});
