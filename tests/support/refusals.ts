import { makeSubscriber } from '../factories/subscriber.factory';
import type { TestApp } from './test-app';
import { bearer } from './test-app';

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Tokens of the roles that network routes refuse: the justice-cooperation cell and a member. */
export async function outsiderTokens(app: TestApp, technicianToken: string): Promise<{ ccj: string; member: string }> {
  const subscriber = await makeSubscriber(app, technicianToken);
  const created = await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'member', roles: ['member'], subscriberId: subscriber.id });
  return { ccj: await app.tokenFor('ccj'), member: created.body.token };
}

export async function countRows(app: TestApp, tables: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = Number((await app.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n);
  return counts;
}

export function call(app: TestApp, token: string, method: Method, path: string, body?: object) {
  const request = app.http[method](path).set(bearer(token));
  return body === undefined ? request : request.send(body);
}

/** Puts ids made in a beforeAll in place of their `:name` placeholders in a path or a body. */
export function withIds<T>(value: T, ids: Record<string, string>): T {
  if (value === undefined) return value;
  return JSON.parse(JSON.stringify(value).replace(/:([a-z]+)\b/g, (placeholder, name: string) => ids[name] ?? placeholder));
}

/** A 400 problem naming `field` (a JSON path, '' for the whole body), and no row added or removed in `tables`. */
export async function expectBadInput(app: TestApp, token: string, tables: string[], method: Method, path: string, body: object | undefined, field: string): Promise<void> {
  const before = await countRows(app, tables);
  const r = await call(app, token, method, path, body);
  expect(r.status).toBe(400);
  expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(r.body).toMatchObject({ status: 400, title: 'Bad Request' });
  expect(r.body.errors.map((e: { path: string }) => e.path)).toContain(field);
  expect(await countRows(app, tables)).toEqual(before);
}

/** A 403 problem, and no row added or removed in `tables`. */
export async function expectForbidden(app: TestApp, token: string, tables: string[], method: Method, path: string, body: object | undefined): Promise<void> {
  const before = await countRows(app, tables);
  const r = await call(app, token, method, path, body);
  expect(r.status).toBe(403);
  expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(await countRows(app, tables)).toEqual(before);
}
