import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { makeSubscriber } from '../factories/subscriber.factory';
import { bearer, createTestApp, TestApp } from '../support/test-app';

/**
 * Every text input of every route, taken from the OpenAPI document the app serves, refuses what
 * PostgreSQL cannot store as sent: U+0000, a lone surrogate, bytes that are not UTF-8, and
 * percent-encoding that does not decode to UTF-8. Each is a 400 naming the field, and nothing is written.
 */

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  format?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
}
interface Operation {
  parameters?: { name: string; in: string; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Field {
  in: 'body' | 'query';
  /** As the problem's errors[].path names it. */
  path: string;
}

/** Free text: a string that is neither one of a closed list nor a UUID, a timestamp or an email. */
const isText = (schema: Schema) => schema.type === 'string' && schema.enum === undefined && schema.format === undefined;

function bodyFields(schema: Schema, components: Record<string, Schema>, prefix: string[]): string[] {
  const resolved = schema.$ref ? components[schema.$ref.split('/').pop() as string] : schema;
  if (isText(resolved)) return [prefix.join('.')];
  if (resolved.type === 'array' && resolved.items) return bodyFields(resolved.items, components, [...prefix, '0']);
  if (resolved.anyOf) return resolved.anyOf.flatMap((option) => bodyFields(option, components, prefix));
  return Object.entries(resolved.properties ?? {}).flatMap(([name, property]) => bodyFields(property, components, [...prefix, name]));
}

function textFields(operation: Operation, components: Record<string, Schema>): Field[] {
  const query = (operation.parameters ?? []).filter((p) => p.in === 'query' && isText(p.schema)).map((p): Field => ({ in: 'query', path: p.name }));
  const body = operation.requestBody?.content['application/json']?.schema;
  return [...query, ...(body ? bodyFields(body, components, []).map((path): Field => ({ in: 'body', path })) : [])];
}

/** A request to a route that is valid in every field, so that a refusal can only be about the field under test. */
interface Valid {
  role: 'admin' | 'ccj' | 'technician' | 'member';
  path: string;
  query?: Record<string, string>;
  body?: Record<string, unknown>;
}

let app: TestApp;
let tokens: Record<Valid['role'], string>;
let tables: string[];
let operations: [string, Field][];
/** One request, or one per variant of a body that takes several shapes (the variant holding the field is sent). */
const valid: Record<string, Valid | Valid[]> = {};

beforeAll(async () => {
  app = await createTestApp();
  const tech = await app.tokenFor('technician');
  const subscriber = await makeSubscriber(app, tech);
  const memberAccount = await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'member', roles: ['member'], subscriberId: subscriber.id });
  tokens = { admin: app.adminToken, ccj: await app.tokenFor('ccj'), technician: tech, member: memberAccount.body.token };
  const rectification = await app.http.post('/api/v1/me/rectifications').set(bearer(tokens.member)).send({ field: 'language', proposedValue: 'nl' });
  const subscriptionId = await makeActiveSubscription(app, tech);
  const pool = await makePool(app, tech, '192.0.2.0/24', 32);
  const assignment = await assign(app, tech, subscriptionId, { poolId: pool.id });
  const preset = await app.http.post('/api/v1/tunnel-presets').set(bearer(tech)).send({ name: 'fiber', underlayMtu: 1500, layers: [] });
  const cpe = await app.http.post('/api/v1/cpe').set(bearer(tech)).send({ model: 'm', serial: 's-1', macAddresses: ['02:00:00:00:00:01'] });
  const [{ index }] = await app.sql<{ index: string }>('SELECT max(leaf_index) AS index FROM ledger_personal_values');
  const past = { address: '192.0.2.1', at: '2025-01-01T00:00:00Z', purpose: 'support ticket 12' };
  const verification = await app.http.post(`/api/v1/subscribers/${subscriber.id}/verifications`).set(bearer(tech)).send({ method: 'sms', phone: '+32470123400' });
  const legalRequest = await app.http
    .post('/api/v1/legal-requests')
    .set(bearer(tokens.ccj))
    .send({ authority: 'Parquet', reference: 'REF/0', legalBasis: 'art. 46bis', kind: 'identification', receivedAt: '2026-11-30T09:00:00Z', selectors: [{ address: '192.0.2.1', at: '2026-11-20T20:00:00Z' }] });
  const ccjAccount = await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'ccj member', roles: ['ccj'] });
  const ccjMember = (await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'ccj member 2', roles: ['ccj'] })).body;
  await app.http
    .post('/api/v1/circles/ccj/members')
    .set(bearer(app.adminToken))
    .send({ accountId: ccjMember.id, accreditation: { grantedOn: '2026-01-15', expiresOn: '2030-12-31', authority: 'AG' } })
    .expect(201);
  const [adminAccount] = await app.sql<{ id: string }>(`SELECT id FROM accounts WHERE 'admin' = ANY (roles)`);
  await app.http.post('/api/v1/circles/board/members').set(bearer(app.adminToken)).send({ accountId: adminAccount.id }).expect(201);
  const proposal = await app.http.post('/api/v1/proposals').set(bearer(app.adminToken)).send({ title: 't', body: 'b', circle: 'board' });
  Object.assign(valid, {
    'post /api/v1/users': { role: 'admin', path: '/api/v1/users', body: { name: 'someone', roles: ['technician'] } },
    'get /api/v1/users': { role: 'admin', path: '/api/v1/users', query: { limit: '5', offset: '0' } },
    'post /api/v1/subscribers': { role: 'admin', path: '/api/v1/subscribers', body: { displayName: 'Member', email: 'm@example.org', language: 'fr' } },
    'get /api/v1/subscribers': { role: 'admin', path: '/api/v1/subscribers', query: { q: 'Member', limit: '5', offset: '0' } },
    'patch /api/v1/subscribers/{id}': { role: 'admin', path: `/api/v1/subscribers/${subscriber.id}`, body: { displayName: 'Renamed', language: 'nl' } },
    'get /api/v1/subscriptions': { role: 'admin', path: '/api/v1/subscriptions', query: { limit: '5', offset: '0' } },
    'get /api/v1/ledger/entries': { role: 'admin', path: '/api/v1/ledger/entries', query: { start: '0', end: '1' } },
    'get /api/v1/ledger/proofs/inclusion': { role: 'admin', path: '/api/v1/ledger/proofs/inclusion', query: { index: '0', treeSize: '1' } },
    'get /api/v1/ledger/proofs/consistency': { role: 'admin', path: '/api/v1/ledger/proofs/consistency', query: { first: '1', second: '1' } },
    'get /api/v1/ledger/entries/{index}/personal': { role: 'ccj', path: `/api/v1/ledger/entries/${index}/personal`, query: { purpose: 'audit of an entry' } },
    'post /api/v1/ip-pools': { role: 'admin', path: '/api/v1/ip-pools', body: { name: 'pool-b', prefix: '198.51.100.0/24', assignLength: 32 } },
    'get /api/v1/ip-pools': { role: 'admin', path: '/api/v1/ip-pools', query: { limit: '5', offset: '0' } },
    'post /api/v1/subscriptions/{id}/ip-assignments': { role: 'admin', path: `/api/v1/subscriptions/${subscriptionId}/ip-assignments`, body: { poolId: pool.id, prefix: '192.0.2.9/32' } },
    'get /api/v1/subscriptions/{id}/ip-assignments': { role: 'admin', path: `/api/v1/subscriptions/${subscriptionId}/ip-assignments`, query: { limit: '5', offset: '0' } },
    'get /api/v1/ip-assignments': { role: 'admin', path: '/api/v1/ip-assignments', query: { ...past, limit: '5', offset: '0' } },
    'get /api/v1/ip-assignments/{id}': { role: 'admin', path: `/api/v1/ip-assignments/${assignment.body.id}`, query: { purpose: past.purpose } },
    'post /api/v1/tunnel-presets': { role: 'admin', path: '/api/v1/tunnel-presets', body: { name: 'line', description: 'a line', underlayMtu: 1500, layers: [] } },
    'get /api/v1/tunnel-presets': { role: 'admin', path: '/api/v1/tunnel-presets', query: { limit: '5', offset: '0' } },
    'put /api/v1/subscriptions/{id}/tunnel': { role: 'admin', path: `/api/v1/subscriptions/${subscriptionId}/tunnel`, body: { preset: preset.body.id, carries: ['ipv4'] } },
    'post /api/v1/cpe': { role: 'admin', path: '/api/v1/cpe', body: { model: 'm', serial: 's-2', macAddresses: ['02:00:00:00:00:02'] } },
    'get /api/v1/cpe': { role: 'admin', path: '/api/v1/cpe', query: { limit: '5', offset: '0' } },
    'get /api/v1/cpe/to-collect': { role: 'admin', path: '/api/v1/cpe/to-collect', query: { limit: '5', offset: '0' } },
    'get /api/v1/cpe/{id}/history': { role: 'admin', path: `/api/v1/cpe/${cpe.body.id}/history`, query: { limit: '5', offset: '0' } },
    'get /api/v1/outbox/messages': { role: 'admin', path: '/api/v1/outbox/messages', query: { limit: '5', offset: '0' } },
    'post /api/v1/subscribers/{id}/verifications': [
      { role: 'admin', path: `/api/v1/subscribers/${subscriber.id}/verifications`, body: { method: 'sms', phone: '+32470123456', legalName: 'A Member' } },
      {
        role: 'admin',
        path: `/api/v1/subscribers/${subscriber.id}/verifications`,
        body: { method: 'postal', legalName: 'A Member', address: { line1: 'Rue 1', line2: 'Boîte 2', postalCode: '1000', city: 'Bruxelles', country: 'BE' } },
      },
    ],
    'get /api/v1/subscribers/{id}/verifications': { role: 'admin', path: `/api/v1/subscribers/${subscriber.id}/verifications`, query: { limit: '5', offset: '0' } },
    'post /api/v1/verifications/{id}/confirm': { role: 'technician', path: `/api/v1/verifications/${verification.body.id}/confirm`, body: { code: '000000' } },
    'get /api/v1/verifications/letters.pdf': { role: 'technician', path: '/api/v1/verifications/letters.pdf', query: { status: 'pending' } },
    'put /api/v1/admin/retention/policies/{category}': { role: 'admin', path: '/api/v1/admin/retention/policies/ip-history', body: { days: 400, justification: 'a case still open' } },
    'put /api/v1/subscriptions/{id}/tunnel/peer': [
      { role: 'admin', path: `/api/v1/subscriptions/${subscriptionId}/tunnel/peer`, body: { type: 'wireguard', publicKey: 'k' } },
      { role: 'admin', path: `/api/v1/subscriptions/${subscriptionId}/tunnel/peer`, body: { type: 'openvpn', csr: 'c' } },
    ],
    'put /api/v1/subscriptions/{id}/reverse-dns': { role: 'admin', path: `/api/v1/subscriptions/${subscriptionId}/reverse-dns`, body: { address: assignment.body.prefix.split('/')[0], name: 'host.example.org' } },
    'get /api/v1/subscriptions/{id}/reverse-dns': { role: 'admin', path: `/api/v1/subscriptions/${subscriptionId}/reverse-dns`, query: { limit: '5', offset: '0' } },
    'get /api/v1/subscriptions/{id}/reverse-dns/history': { role: 'admin', path: `/api/v1/subscriptions/${subscriptionId}/reverse-dns/history`, query: { limit: '5', offset: '0' } },
    'delete /api/v1/subscriptions/{id}/reverse-dns': { role: 'admin', path: `/api/v1/subscriptions/${subscriptionId}/reverse-dns`, query: { address: assignment.body.prefix.split('/')[0] } },
    'get /api/v1/dns/zones': { role: 'admin', path: '/api/v1/dns/zones', query: { limit: '5', offset: '0' } },
    'get /api/v1/provisioning/changes': { role: 'admin', path: '/api/v1/provisioning/changes', query: { since: '0', limit: '5' } },
    'post /api/v1/legal-requests': {
      role: 'ccj',
      path: '/api/v1/legal-requests',
      body: { authority: 'Parquet', reference: 'REF/1', legalBasis: 'art. 46bis', kind: 'identification', receivedAt: '2026-11-30T09:00:00Z', selectors: [{ address: '192.0.2.1', at: '2026-11-20T20:00:00Z' }] },
    },
    'get /api/v1/legal-requests': { role: 'ccj', path: '/api/v1/legal-requests', query: { limit: '5', offset: '0' } },
    'post /api/v1/legal-requests/{id}/decision-proposal': { role: 'ccj', path: `/api/v1/legal-requests/${legalRequest.body.id}/decision-proposal`, body: { decision: 'comply', rationale: 'A reasoned order.' } },
    'put /api/v1/legal-requests/{id}/compensation': {
      role: 'ccj',
      path: `/api/v1/legal-requests/${legalRequest.body.id}/compensation`,
      body: { amount: '12.50', currency: 'EUR', status: 'claimed', claimedOn: '2026-12-01', note: 'Mémoire de frais' },
    },
    'post /api/v1/legal-requests/{id}/documents': { role: 'ccj', path: `/api/v1/legal-requests/${legalRequest.body.id}/documents`, body: { filename: 'order.pdf', contentBase64: Buffer.from('%PDF-1.7 order').toString('base64') } },
    'post /api/v1/circles/{name}/members': {
      role: 'admin',
      path: '/api/v1/circles/ccj/members',
      body: { accountId: ccjAccount.body.id, accreditation: { grantedOn: '2026-01-15', expiresOn: '2030-12-31', authority: 'Assemblée générale' } },
    },
    'put /api/v1/circles/{name}/members/{accountId}/accreditation': {
      role: 'admin',
      path: `/api/v1/circles/ccj/members/${ccjMember.id}/accreditation`,
      body: { grantedOn: '2026-06-01', expiresOn: '2031-05-31', authority: 'Conseil' },
    },
    'post /api/v1/me/rectifications': { role: 'member', path: '/api/v1/me/rectifications', body: { field: 'displayName', proposedValue: 'Corrected', note: 'a typo' } },
    'get /api/v1/rectifications': { role: 'technician', path: '/api/v1/rectifications', query: { limit: '5', offset: '0' } },
    'post /api/v1/rectifications/{id}/refuse': { role: 'technician', path: `/api/v1/rectifications/${rectification.body.id}/refuse`, body: { reason: 'not offered' } },
    'post /api/v1/proposals': { role: 'admin', path: '/api/v1/proposals', body: { title: 'A title', body: 'A body', circle: 'board' } },
    'post /api/v1/canary/proposals': { role: 'ccj', path: '/api/v1/canary/proposals', body: { statement: 'No order we may not disclose.', renewBy: '2030-01-01T00:00:00Z' } },
    'get /api/v1/canary/history': { role: 'admin', path: '/api/v1/canary/history', query: { limit: '5', offset: '0' } },
    'post /api/v1/proposals/{id}/positions': { role: 'admin', path: `/api/v1/proposals/${proposal.body.id}/positions`, body: { position: 'concern', reason: 'why' } },
    'post /api/v1/privilege-proposals': { role: 'admin', path: '/api/v1/privilege-proposals', body: { accountId: ccjMember.id, role: 'admin', change: 'grant', rationale: 'why' } },
    'get /api/v1/public/admin-actions': { role: 'admin', path: '/api/v1/public/admin-actions', query: { limit: '5', offset: '0', proofs: 'true' } },
  } satisfies Record<string, Valid | Valid[]>);

  const document = (await app.http.get('/api/v1/openapi.json')).body as { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
  operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).flatMap(([method, operation]) => textFields(operation, document.components.schemas).map((field): [string, Field] => [`${method} ${path}`, field])),
  );
  // Every table a request could write; heartbeats and checkpoints are written by jobs, on their own clock.
  tables = (
    await app.sql<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('worker_heartbeats', 'ledger_checkpoints', 'migrations')`,
    )
  ).map((t) => t.name);
});
afterAll(() => app.close());

async function rowCounts(): Promise<Record<string, number>> {
  const [counts] = await app.sql<Record<string, string>>(`SELECT ${tables.map((t) => `(SELECT count(*) FROM "${t}") AS "${t}"`).join(', ')}`);
  return Object.fromEntries(Object.entries(counts).map(([t, n]) => [t, Number(n)]));
}

function valueAt(body: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], body);
}

/** The valid body with the value at `path` (e.g. `name`, `macAddresses.0`) replaced. */
function setAt(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.split('.');
  const parent = keys.slice(0, -1).reduce((node, key) => node[key] as Record<string, unknown>, copy);
  parent[keys.at(-1) as string] = value;
  return copy;
}

const encodeQuery = (query: Record<string, string>) => Object.entries(query).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);

/** Sends the valid request with `field` replaced: by a string in a JSON body or a query, or by raw bytes in the body or the query string. */
function send(operation: string, field: Field, bad: { text: string } | { bytes: Buffer } | { percent: string }) {
  const request = [valid[operation]].flat().find((variant) => field.in === 'query' || valueAt(variant.body ?? {}, field.path) !== undefined);
  if (!request) throw new Error(`no valid request of ${operation} holds ${field.path}`);
  const query = { ...request.query };
  let queryText = encodeQuery(query);
  let body: string | Buffer | undefined = request.body && JSON.stringify(request.body);
  if (field.in === 'query') {
    const rest = encodeQuery(Object.fromEntries(Object.entries(query).filter(([k]) => k !== field.path)));
    const value = 'text' in bad ? encodeURIComponent(bad.text) : 'percent' in bad ? bad.percent : '';
    queryText = [...rest, `${encodeURIComponent(field.path)}=${value}`];
  } else if ('text' in bad) {
    body = JSON.stringify(setAt(request.body ?? {}, field.path, bad.text));
  } else if ('bytes' in bad) {
    const [before, after] = JSON.stringify(setAt(request.body ?? {}, field.path, '\u0001')).split('\\u0001');
    body = Buffer.concat([Buffer.from(before), bad.bytes, Buffer.from(after)]);
  }
  const method = operation.split(' ')[0] as 'get' | 'post' | 'put' | 'patch' | 'delete';
  const url = queryText.length > 0 ? `${request.path}?${queryText.join('&')}` : request.path;
  const call = app.http[method](url).set(bearer(tokens[request.role]));
  // The body is sent as the bytes given: supertest would otherwise serialise a Buffer as JSON.
  return body === undefined ? call : call.set('content-type', 'application/json').serialize((bytes: unknown) => bytes as string).send(body);
}

async function expectRefused(operation: string, field: Field, bad: Parameters<typeof send>[2], named: string): Promise<void> {
  const before = await rowCounts();
  const r = await send(operation, field, bad);
  expect({ status: r.status, type: r.headers['content-type'] }).toEqual({ status: 400, type: expect.stringMatching(/^application\/problem\+json/) });
  expect([...new Set((r.body.errors ?? []).map((e: { path: string }) => e.path))]).toEqual([named]);
  expect(await rowCounts()).toEqual(before);
}

describe('text inputs refuse what would not be stored as sent', () => {
  it('every-route-with-a-text-field-or-query-parameter-is-walked', () => {
    const walked = [...new Set(operations.map(([operation]) => operation))].sort();
    expect(walked).toEqual(Object.keys(valid).sort());
    // The routes the issue found answering 500 are among them.
    expect(operations.map(([o, f]) => `${o} ${f.path}`)).toEqual(
      expect.arrayContaining([
        'post /api/v1/users name',
        'post /api/v1/subscribers displayName',
        'get /api/v1/subscribers q',
        'patch /api/v1/subscribers/{id} displayName',
        'post /api/v1/ip-pools name',
        'post /api/v1/tunnel-presets name',
        'post /api/v1/tunnel-presets description',
        'post /api/v1/cpe model',
        'post /api/v1/cpe serial',
      ]),
    );
  });

  it('a-nul-in-any-text-input-is-a-400-naming-it', async () => {
    for (const [operation, field] of operations) await expectRefused(operation, field, { text: 'a\u0000b' }, field.path);
  });

  it('a-lone-surrogate-in-a-json-string-is-a-400-naming-it', async () => {
    for (const [operation, field] of operations.filter(([, f]) => f.in === 'body')) await expectRefused(operation, field, { text: 'a\ud800b' }, field.path);
  });

  it('a-body-that-is-not-utf-8-is-a-400', async () => {
    const sequences = [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xc0, 0xaf])];
    for (const [operation, field] of operations.filter(([, f]) => f.in === 'body')) {
      for (const bytes of sequences) await expectRefused(operation, field, { bytes }, '');
    }
  });

  it('a-query-parameter-whose-percent-encoding-is-not-utf-8-is-a-400-naming-it', async () => {
    for (const [operation, field] of operations.filter(([, f]) => f.in === 'query')) {
      for (const percent of ['a%FFb', '%C3', '%ED%A0%80', '%C0%AF']) await expectRefused(operation, field, { percent }, field.path);
    }
  });

  it('the-same-values-well-formed-are-stored-as-sent', async () => {
    const name = 'Zoë 😀 ﬁ \ufffd';
    const r = await app.http.post('/api/v1/subscribers').set(bearer(app.adminToken)).send({ displayName: name, email: 'zoe@example.org' });
    expect(r.status).toBe(201);
    expect((await app.sql<{ display_name: string }>('SELECT display_name FROM subscribers WHERE id = $1', [r.body.id]))[0].display_name).toBe(name);
    const found = await app.http.get(`/api/v1/subscribers?q=${encodeURIComponent('😀')}`).set(bearer(app.adminToken));
    expect(found.body.items.map((s: { id: string }) => s.id)).toEqual([r.body.id]);
  });
});
