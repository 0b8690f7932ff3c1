import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { formatCheckpointText, formatNote, formatVerifierKey, SIGNATURE_TYPE, signNote, verifierKeyOf } from '../../src/common/signed-note';
import addFormats from 'ajv-formats';
import type { Response } from 'supertest';
import { VerificationMessages } from '../../src/identity/verification-messages.service';
import { makeSubscriber, makeSubscription } from '../factories/subscriber.factory';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { associationEnvironment, makeCsr, makeWireguardKeys } from '../support/tunnel-association';

/**
 * Every route's live answers, success and error, against the schemas the document it serves declares
 * for that status and media type: what a generated client would expect. A documented operation that
 * no case here calls fails the last test, so a new route needs a case.
 */

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
interface Call {
  token?: string;
  query?: Record<string, string>;
  body?: object;
  /** A text/plain body instead of JSON. */
  text?: string;
  headers?: Record<string, string>;
}
interface ResponseDoc {
  $ref?: string;
  content?: Record<string, { schema: object }>;
}
interface Document {
  paths: Record<string, Partial<Record<Method, { responses: Record<string, ResponseDoc> }>>>;
  components: { responses: Record<string, ResponseDoc> };
}

const DOCUMENT_ID = 'urn:lanterne:openapi';
// An address of its own (trust proxy: loopback), so that driving it over the failure limit blocks no other case.
const BLOCKED_CLIENT = { 'x-forwarded-for': '203.0.113.77' };

// A log the instance witnesses, to be cosigned in the witness block.
const WITNESSED_LOG = { origin: 'other.example/log', key: generateKeyPairSync('ed25519').privateKey };

let app: TestApp;
let document: Document;
let ajv: Ajv2020;
const exercised = new Map<string, Set<'success' | 'error'>>();

beforeAll(async () => {
  app = await createTestApp({
    LANTERNE_AUTH_FAILURES_PER_MINUTE: '2',
    LANTERNE_DNS_NAMESERVERS: 'ns1.example.org',
    LANTERNE_WITNESS_LOGS: formatVerifierKey(verifierKeyOf(WITNESSED_LOG.origin, SIGNATURE_TYPE.ed25519, WITNESSED_LOG.key)),
    LANTERNE_WITNESS_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    ...(await associationEnvironment()).env,
  });
  const served = await app.http.get('/api/v1/openapi.json');
  expect(served.status).toBe(200);
  document = served.body;
  ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  // The document is one schema resource, so that its #/components/schemas/... references resolve.
  ajv.addVocabulary(['openapi', 'info', 'servers', 'paths', 'tags', 'components', 'security']);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
});

afterAll(() => app?.close());

/** Calls a documented operation and checks its answer against what the document says of that status. */
async function call(method: Method, template: string, params: Record<string, string | number>, options: Call = {}): Promise<Response> {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
  let request = app.http[method](path);
  if (options.token) request = request.set(bearer(options.token));
  if (options.headers) request = request.set(options.headers);
  if (options.query) request = request.query(options.query);
  if (options.text !== undefined) request = request.set('content-type', 'text/plain; charset=utf-8').send(options.text);
  const response = await (options.body === undefined ? request : request.send(options.body));

  const operation = document.paths[template]?.[method];
  if (!operation) throw new Error(`${method.toUpperCase()} ${template} is not in the document`);
  let documented = operation.responses[String(response.status)];
  if (!documented) throw new Error(`${method.toUpperCase()} ${template} answered ${response.status}, which the document does not list: ${response.text}`);
  if (documented.$ref) documented = document.components.responses[documented.$ref.split('/').pop() as string];
  const mediaType = String(response.headers['content-type'] ?? '').split(';')[0];
  if (documented.content === undefined) {
    expect(response.text).toBe('');
  } else {
    const declared = documented.content[mediaType];
    if (!declared) throw new Error(`${method.toUpperCase()} ${template} ${response.status} answered ${mediaType}; the document declares ${Object.keys(documented.content).join(', ')}`);
    const validate = validatorFor(`${method} ${template} ${response.status} ${mediaType}`, declared.schema);
    const body: unknown = mediaType.startsWith('text/') ? response.text : response.body;
    if (!validate(body)) throw new Error(`${method.toUpperCase()} ${template} ${response.status}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
  }
  const key = `${method} ${template}`;
  if (!exercised.has(key)) exercised.set(key, new Set());
  exercised.get(key)!.add(response.status < 400 ? 'success' : 'error');
  return response;
}

const validators = new Map<string, ValidateFunction>();

/** The schema of one answer, its #/components/... references read in the document. */
function validatorFor(key: string, schema: object): ValidateFunction {
  if (!validators.has(key)) {
    const resolved = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`)) as object;
    validators.set(key, ajv.compile(resolved));
  }
  return validators.get(key)!;
}

const V = '/api/v1';
const ids: Record<string, string> = {};
let admin: string;
let technician: string;
let ccj: string;
let member: string;

describe('each-route-answers-what-its-openapi-document-declares', () => {
  it('accounts', async () => {
    admin = app.adminToken;
    technician = await app.tokenFor('technician');
    ccj = await app.tokenFor('ccj');
    const subscriber = await makeSubscriber(app, technician);
    ids.subscriber = subscriber.id;

    const created = await call('post', `${V}/users`, {}, { token: admin, body: { name: 'Member Account', roles: ['member'], subscriberId: subscriber.id } });
    expect(created.status).toBe(201);
    member = created.body.token;
    ids.account = created.body.id;
    expect((await call('post', `${V}/users`, {}, { token: admin, body: { name: '', roles: [] } })).status).toBe(400);

    expect((await call('get', `${V}/users`, {}, { token: admin })).status).toBe(200);
    expect((await call('get', `${V}/users`, {}, { token: technician })).status).toBe(403);
    expect((await call('get', `${V}/users/{id}`, { id: ids.account }, { token: admin })).status).toBe(200);
    expect((await call('get', `${V}/users/{id}`, { id: '00000000-0000-4000-8000-000000000000' }, { token: admin })).status).toBe(404);
    expect((await call('patch', `${V}/users/{id}`, { id: ids.account }, { token: admin, body: { roles: ['member'], subscriberId: subscriber.id } })).status).toBe(200);
    expect((await call('patch', `${V}/users/{id}`, { id: 'not-a-uuid' }, { token: admin, body: { roles: ['admin'] } })).status).toBe(400);
    expect((await call('get', `${V}/me`, {}, { token: member })).status).toBe(200);
    expect((await call('get', `${V}/me`, {})).status).toBe(401);
    expect((await call('get', `${V}/me/contact`, {}, { token: member })).status).toBe(200);
    expect((await call('get', `${V}/me/contact`, {})).status).toBe(401);
    expect((await call('put', `${V}/me/contact`, {}, { token: technician, body: { email: 'tech@example.org', language: 'en' } })).status).toBe(200);
    expect((await call('put', `${V}/me/contact`, {}, { token: member, body: { email: 'member@example.org', language: 'en' } })).status).toBe(422);

    const spare = await call('post', `${V}/users`, {}, { token: admin, body: { name: 'Spare', roles: ['technician'] } });
    expect((await call('post', `${V}/users/{id}/token`, { id: spare.body.id }, { token: admin })).status).toBe(201);
    expect((await call('post', `${V}/users/{id}/revoke`, { id: spare.body.id }, { token: admin })).status).toBe(204);
    expect((await call('post', `${V}/users/{id}/token`, { id: spare.body.id }, { token: admin })).status).toBe(409);
    expect((await call('post', `${V}/users/{id}/revoke`, { id: spare.body.id }, { token: admin })).status).toBe(409);
  });

  it('subscribers-and-subscriptions', async () => {
    const created = await call('post', `${V}/subscribers`, {}, { token: technician, body: { displayName: 'Contract Member', email: 'contract@example.org' } });
    expect(created.status).toBe(201);
    ids.member = created.body.id;
    expect((await call('post', `${V}/subscribers`, {}, { token: technician, body: { displayName: 'x', email: 'not an email' } })).status).toBe(400);
    expect((await call('get', `${V}/subscribers`, {}, { token: technician, query: { q: 'Contract' } })).status).toBe(200);
    expect((await call('get', `${V}/subscribers`, {}, { token: technician, query: { limit: '0' } })).status).toBe(400);
    expect((await call('get', `${V}/subscribers/{id}`, { id: ids.member }, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/subscribers/{id}`, { id: ids.member }, { token: member })).status).toBe(403);
    expect((await call('patch', `${V}/subscribers/{id}`, { id: ids.member }, { token: technician, body: { status: 'active' } })).status).toBe(200);
    expect((await call('patch', `${V}/subscribers/{id}`, { id: ids.member }, { token: technician, body: {} })).status).toBe(400);

    const subscription = await call('post', `${V}/subscriptions`, {}, { token: technician, body: { subscriberId: ids.member, service: 'fiber', startsAt: '2026-01-01T00:00:00Z' } });
    expect(subscription.status).toBe(201);
    ids.subscription = subscription.body.id;
    expect((await call('post', `${V}/subscriptions`, {}, { token: technician, body: { subscriberId: '00000000-0000-4000-8000-000000000000', service: 'vpn' } })).status).toBe(404);
    expect((await call('get', `${V}/subscriptions`, {}, { token: technician, query: { subscriberId: ids.member } })).status).toBe(200);
    expect((await call('get', `${V}/subscriptions`, {}, { token: technician, query: { status: 'paused' } })).status).toBe(400);
    expect((await call('get', `${V}/subscriptions/{id}`, { id: ids.subscription }, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/subscriptions/{id}`, { id: '00000000-0000-4000-8000-000000000000' }, { token: technician })).status).toBe(404);
  });

  it('ip-pools-and-assignments', async () => {
    const pool = await call('post', `${V}/ip-pools`, {}, { token: technician, body: { name: 'contract-v4', prefix: '198.51.100.0/24', assignLength: 32 } });
    expect(pool.status).toBe(201);
    ids.pool = pool.body.id;
    expect((await call('post', `${V}/ip-pools`, {}, { token: technician, body: { name: 'contract-v4-again', prefix: '198.51.100.0/25', assignLength: 32 } })).status).toBe(409);
    expect((await call('get', `${V}/ip-pools`, {}, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/ip-pools`, {}, { token: ccj })).status).toBe(403);
    expect((await call('get', `${V}/ip-pools/{id}`, { id: ids.pool }, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/ip-pools/{id}`, { id: '00000000-0000-4000-8000-000000000000' }, { token: technician })).status).toBe(404);

    const assignment = await call('post', `${V}/subscriptions/{id}/ip-assignments`, { id: ids.subscription }, { token: technician, body: { poolId: ids.pool, validFrom: '2026-02-01T00:00:00Z' } });
    expect(assignment.status).toBe(201);
    ids.assignment = assignment.body.id;
    const taken = { poolId: ids.pool, prefix: assignment.body.prefix };
    expect((await call('post', `${V}/subscriptions/{id}/ip-assignments`, { id: ids.subscription }, { token: technician, body: taken })).status).toBe(409);
    expect((await call('get', `${V}/subscriptions/{id}/ip-assignments`, { id: ids.subscription }, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/subscriptions/{id}/ip-assignments`, { id: ids.subscription }, { token: technician, query: { offset: '-1' } })).status).toBe(400);
    const address = assignment.body.prefix.split('/')[0];
    expect((await call('get', `${V}/ip-assignments`, {}, { token: technician, query: { address } })).status).toBe(200);
    expect((await call('get', `${V}/ip-assignments`, {}, { token: technician, query: { address, at: '2026-03-01T00:00:00Z' } })).status).toBe(400);
    expect((await call('get', `${V}/ip-assignments/{id}`, { id: ids.assignment }, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/ip-assignments/{id}`, { id: ids.assignment })).status).toBe(401);
    expect((await call('post', `${V}/ip-assignments/{id}/release`, { id: ids.assignment }, { token: technician, body: {} })).status).toBe(200);
    expect((await call('post', `${V}/ip-assignments/{id}/release`, { id: ids.assignment }, { token: technician, body: {} })).status).toBe(409);
  });

  it('tunnels-and-mtu', async () => {
    const layers = ['ipv6', 'udp', 'wireguard'];
    expect((await call('post', `${V}/mtu/compute`, {}, { token: technician, body: { underlayMtu: 1500, layers, carries: ['ipv4', 'ipv6'] } })).status).toBe(200);
    expect((await call('post', `${V}/mtu/compute`, {}, { token: technician, body: { underlayMtu: 1300, layers, carries: ['ipv6'] } })).status).toBe(422);

    const preset = await call('post', `${V}/tunnel-presets`, {}, { token: technician, body: { name: 'Contract line', underlayMtu: 1432, layers } });
    expect(preset.status).toBe(201);
    ids.preset = preset.body.id;
    expect((await call('post', `${V}/tunnel-presets`, {}, { token: technician, body: { name: 'Contract line', underlayMtu: 1432, layers } })).status).toBe(409);
    expect((await call('get', `${V}/tunnel-presets`, {}, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/tunnel-presets`, {}, { token: technician, query: { limit: '501' } })).status).toBe(400);
    expect((await call('get', `${V}/tunnel-presets/{id}`, { id: ids.preset }, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/tunnel-presets/{id}`, { id: '00000000-0000-4000-8000-000000000000' }, { token: technician })).status).toBe(404);

    expect((await call('get', `${V}/subscriptions/{id}/tunnel`, { id: ids.subscription }, { token: technician })).status).toBe(404);
    expect((await call('put', `${V}/subscriptions/{id}/tunnel`, { id: ids.subscription }, { token: technician, body: { preset: ids.preset, carries: ['ipv4', 'ipv6'] } })).status).toBe(200);
    expect((await call('put', `${V}/subscriptions/{id}/tunnel`, { id: ids.subscription }, { token: technician, body: { carries: ['ipv6'] } })).status).toBe(400);
    expect((await call('get', `${V}/subscriptions/{id}/tunnel`, { id: ids.subscription }, { token: technician })).status).toBe(200);
    // The WireGuard configuration needs the CPE's address: its first block was released above.
    expect((await call('post', `${V}/subscriptions/{id}/ip-assignments`, { id: ids.subscription }, { token: technician, body: { poolId: ids.pool } })).status).toBe(201);
    expect((await call('get', `${V}/subscriptions/{id}/tunnel/config`, { id: ids.subscription }, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/subscriptions/{id}/tunnel/config`, { id: ids.subscription }, { token: technician, query: { format: 'openvpn' } })).status).toBe(409);
  });

  it('cpe', async () => {
    const device = await call('post', `${V}/cpe`, {}, { token: technician, body: { model: 'Contract Box', serial: 'CONTRACT-1', macAddresses: ['AA-BB-CC-00-11-22'] } });
    expect(device.status).toBe(201);
    ids.cpe = device.body.id;
    expect((await call('post', `${V}/cpe`, {}, { token: technician, body: { model: 'Contract Box', serial: 'CONTRACT-1', macAddresses: ['aa:bb:cc:00:11:33'] } })).status).toBe(409);
    expect((await call('get', `${V}/cpe`, {}, { token: technician, query: { status: 'in_stock' } })).status).toBe(200);
    expect((await call('get', `${V}/cpe`, {}, { token: technician, query: { status: 'lost' } })).status).toBe(400);
    expect((await call('get', `${V}/cpe/{id}`, { id: ids.cpe }, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/cpe/{id}`, { id: '00000000-0000-4000-8000-000000000000' }, { token: technician })).status).toBe(404);
    expect((await call('post', `${V}/cpe/{id}/return`, { id: ids.cpe }, { token: technician, body: { condition: 'ok' } })).status).toBe(409);
    expect((await call('post', `${V}/cpe/{id}/assign`, { id: ids.cpe }, { token: technician, body: { subscriptionId: ids.subscription } })).status).toBe(200);
    expect((await call('post', `${V}/cpe/{id}/assign`, { id: ids.cpe }, { token: technician, body: { subscriptionId: ids.subscription } })).status).toBe(409);
    expect((await call('get', `${V}/cpe/{id}/history`, { id: ids.cpe }, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/cpe/{id}/history`, { id: ids.cpe }, { token: member })).status).toBe(403);

    expect((await call('post', `${V}/subscriptions/{id}/end`, { id: ids.subscription }, { token: technician, body: {} })).status).toBe(200);
    expect((await call('post', `${V}/subscriptions/{id}/end`, { id: ids.subscription }, { token: technician, body: {} })).status).toBe(409);
    expect((await call('get', `${V}/cpe/to-collect`, {}, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/cpe/to-collect`, {}, { token: ccj })).status).toBe(403);
    expect((await call('post', `${V}/cpe/{id}/return`, { id: ids.cpe }, { token: technician, body: { condition: 'broken' } })).status).toBe(200);

    expect((await call('post', `${V}/subscribers/{id}/terminate`, { id: ids.member }, { token: technician, body: {} })).status).toBe(200);
    expect((await call('post', `${V}/subscribers/{id}/terminate`, { id: ids.member }, { token: technician, body: {} })).status).toBe(409);
  });

  it('ledger', async () => {
    const checkpoint = await call('get', `${V}/ledger/checkpoint`, {});
    expect(checkpoint.status).toBe(200);
    const size = String(checkpoint.body.treeSize);
    expect((await call('get', `${V}/ledger/entries`, {}, { token: ccj, query: { start: '0', end: '2' } })).status).toBe(200);
    expect((await call('get', `${V}/ledger/entries`, {}, { token: ccj, query: { start: '0', end: '999999' } })).status).toBe(404);
    expect((await call('get', `${V}/ledger/proofs/inclusion`, {}, { query: { index: '0', treeSize: size } })).status).toBe(200);
    expect((await call('get', `${V}/ledger/proofs/inclusion`, {}, { query: { index: size, treeSize: size } })).status).toBe(400);
    expect((await call('get', `${V}/ledger/proofs/consistency`, {}, { query: { first: '1', second: size } })).status).toBe(200);
    expect((await call('get', `${V}/ledger/proofs/consistency`, {}, { query: { first: '1', second: '999999' } })).status).toBe(404);
    expect((await call('get', `${V}/ledger/verify`, {}, { token: admin })).status).toBe(200);
    expect((await call('get', `${V}/ledger/verify`, {}, { token: technician })).status).toBe(403);
    expect((await call('get', `${V}/ledger/entries/{index}/personal`, { index: 0 }, { token: ccj, query: { purpose: 'checking the contract' } })).status).toBe(200);
    expect((await call('get', `${V}/ledger/entries/{index}/personal`, { index: 0 }, { token: ccj })).status).toBe(400);
    const text = await call('get', `${V}/ledger/checkpoint`, {}, { headers: { accept: 'text/plain' } });
    expect(text.status).toBe(200);
    expect(text.text).toMatch(/^localhost\/ledger\n/);
    expect((await call('get', `${V}/ledger/verifier-key`, {})).status).toBe(200);
    expect((await call('get', `${V}/ledger/proofs/inclusion`, {}, { query: { index: '0', treeSize: size, format: 'tlog-proof' } })).status).toBe(200);
    expect((await call('get', `${V}/ledger/proofs/inclusion`, {}, { query: { index: '0', treeSize: size, format: 'xml' } })).status).toBe(400);
  });

  // --- witness ---
  it('witness', async () => {
    const note = (size: number) => {
      const text = formatCheckpointText({ origin: WITNESSED_LOG.origin, treeSize: size, rootHash: size === 0 ? createHash('sha256').digest() : Buffer.alloc(32, 1) });
      return formatNote(text, [signNote(text, WITNESSED_LOG.origin, WITNESSED_LOG.key)]);
    };
    const add = `${V}/witness/add-checkpoint`;
    expect((await call('post', add, {}, { text: `old 0\n\n${note(1)}` })).status).toBe(200);
    expect((await call('post', add, {}, { text: `old 0\n\n${note(1)}` })).status).toBe(409);
    expect((await call('post', add, {}, { text: `old 1\n\n${note(1).replace('other.example/log\n', 'unknown.example/log\n')}` })).status).toBe(404);
    expect((await call('post', add, {}, { text: `old 1\n\n${note(1).replace(/AQEB/, 'AgEB')}` })).status).toBe(403);
    expect((await call('post', add, {}, { text: `old 1\n${Buffer.alloc(32).toString('base64')}\n\n${note(1)}` })).status).toBe(422);
    expect((await call('post', add, {}, { text: 'old x\n' })).status).toBe(400);
    expect((await call('post', add, {}, { body: { old: 0 } })).status).toBe(415);
    const originHash = createHash('sha256').update(WITNESSED_LOG.origin).digest('hex');
    expect((await call('get', `${V}/witness/{originHash}/checkpoint`, { originHash })).status).toBe(200);
    expect((await call('get', `${V}/witness/{originHash}/checkpoint`, { originHash: '0'.repeat(64) })).status).toBe(404);
    expect((await call('get', `${V}/witness/verifier-key`, {})).status).toBe(200);
  });

  it('health', async () => {
    expect((await call('get', '/health', {})).status).toBe(200);
  });

  // --- privacy ---
  it('retention', async () => {
    expect((await call('get', `${V}/admin/retention/policies`, {}, { token: admin })).status).toBe(200);
    expect((await call('get', `${V}/admin/retention/policies`, {}, { token: technician })).status).toBe(403);
    expect((await call('put', `${V}/admin/retention/policies/{category}`, { category: 'ip-history' }, { token: admin, body: { days: 200 } })).status).toBe(200);
    expect((await call('put', `${V}/admin/retention/policies/{category}`, { category: 'ip-history' }, { token: admin, body: { days: 400 } })).status).toBe(422);
    expect((await call('put', `${V}/admin/retention/policies/{category}`, { category: 'cpe-loans' }, { token: admin, body: { days: 10 } })).status).toBe(404);
    expect((await call('put', `${V}/admin/retention/policies/{category}`, { category: 'ip-history' }, { token: admin, body: { days: -1 } })).status).toBe(400);
    expect((await call('post', `${V}/admin/retention/run`, {}, { token: admin })).status).toBe(200);
    expect((await call('post', `${V}/admin/retention/run`, {}, { token: ccj })).status).toBe(403);
  });

  it('a-client-over-the-failure-limit-is-refused-even-on-public-routes', async () => {
    for (let i = 0; i < 2; i++) await app.http.get(`${V}/me`).set({ ...BLOCKED_CLIENT, ...bearer('lnt_wrong') });
    const headers = { ...BLOCKED_CLIENT, ...bearer('lnt_wrong') };
    expect((await call('get', '/health', {}, { headers })).status).toBe(429);
    expect((await call('get', `${V}/ledger/checkpoint`, {}, { headers })).status).toBe(429);
    expect((await call('get', `${V}/transparency`, {}, { headers })).status).toBe(429);
    expect((await call('get', `${V}/ledger/verifier-key`, {}, { headers })).status).toBe(429);
    expect((await call('get', `${V}/witness/verifier-key`, {}, { headers })).status).toBe(429);
  });

  it('member data and rectifications', async () => {
    expect((await call('get', `${V}/me/data`, {}, { token: member })).status).toBe(200);
    expect((await call('get', `${V}/me/data`, {}, { token: member, query: { format: 'pdf' } })).status).toBe(400);
    expect((await call('get', `${V}/me/data`, {}, { token: technician })).status).toBe(403);
    expect((await call('get', `${V}/public/data-map`, {})).status).toBe(200);
    expect((await call('get', `${V}/public/data-map`, {}, { query: { format: 'xml' } })).status).toBe(400);

    const proposed = await call('post', `${V}/me/rectifications`, {}, { token: member, body: { field: 'displayName', proposedValue: 'Corrected Name' } });
    expect(proposed.status).toBe(201);
    expect((await call('post', `${V}/me/rectifications`, {}, { token: member, body: { field: 'displayName', proposedValue: 'Again' } })).status).toBe(409);
    expect((await call('post', `${V}/me/rectifications`, {}, { token: member, body: { field: 'legalName', proposedValue: 'Someone' } })).status).toBe(422);
    expect((await call('post', `${V}/me/rectifications`, {}, { token: member, body: { field: 'email', proposedValue: 'nope' } })).status).toBe(400);
    expect((await call('get', `${V}/me/rectifications`, {}, { token: member })).status).toBe(200);
    expect((await call('get', `${V}/me/rectifications`, {}, { token: technician })).status).toBe(403);
    expect((await call('get', `${V}/rectifications`, {}, { token: technician, query: { status: 'pending' } })).status).toBe(200);
    expect((await call('get', `${V}/rectifications`, {}, { token: technician, query: { status: 'done' } })).status).toBe(400);
    expect((await call('post', `${V}/rectifications/{id}/accept`, { id: proposed.body.id }, { token: technician })).status).toBe(200);
    expect((await call('post', `${V}/rectifications/{id}/accept`, { id: proposed.body.id }, { token: technician })).status).toBe(409);
    expect((await call('post', `${V}/rectifications/{id}/accept`, { id: '00000000-0000-4000-8000-000000000000' }, { token: technician })).status).toBe(404);
    const second = await call('post', `${V}/me/rectifications`, {}, { token: member, body: { field: 'language', proposedValue: 'nl' } });
    expect((await call('post', `${V}/rectifications/{id}/refuse`, { id: second.body.id }, { token: technician, body: { reason: 'not offered' } })).status).toBe(200);
    expect((await call('post', `${V}/rectifications/{id}/refuse`, { id: second.body.id }, { token: technician, body: { reason: 'twice' } })).status).toBe(409);
    expect((await call('post', `${V}/rectifications/{id}/refuse`, { id: '00000000-0000-4000-8000-000000000000' }, { token: technician, body: { reason: 'x' } })).status).toBe(404);
    expect((await call('post', `${V}/rectifications/{id}/refuse`, { id: second.body.id }, { token: technician, body: {} })).status).toBe(400);
  });

  // --- outbox ---
  it('outbox', async () => {
    expect((await call('get', `${V}/outbox/messages`, {}, { token: technician, query: { status: 'failed' } })).status).toBe(200);
    expect((await call('get', `${V}/outbox/messages`, {}, { token: technician, query: { status: 'lost' } })).status).toBe(400);
    expect((await call('get', `${V}/outbox/messages`, {}, { token: member })).status).toBe(403);
  });

  // --- tunnels ---
  it('tunnel-peers-and-router-exports', async () => {
    const subscription = (await makeSubscription(app, technician, (await makeSubscriber(app, technician)).id)).id;
    const peer = `${V}/subscriptions/{id}/tunnel/peer`;
    expect((await call('get', peer, { id: subscription }, { token: technician })).status).toBe(404);
    expect((await call('delete', peer, { id: subscription }, { token: technician })).status).toBe(404);
    const wireguard = { type: 'wireguard', publicKey: makeWireguardKeys().publicKey };
    expect((await call('put', peer, { id: subscription }, { token: technician, body: wireguard })).status).toBe(200);
    expect((await call('put', peer, { id: subscription }, { token: technician, body: { type: 'wireguard', publicKey: 'c2hvcnQ=' } })).status).toBe(400);
    expect((await call('get', peer, { id: subscription }, { token: technician })).status).toBe(200);
    expect((await call('put', peer, { id: subscription }, { token: technician, body: { type: 'openvpn', csr: (await makeCsr()).csrPem } })).status).toBe(200);
    expect((await call('delete', peer, { id: subscription }, { token: technician })).status).toBe(204);

    expect((await call('get', `${V}/tunnels/router-export/wireguard`, {}, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/tunnels/router-export/wireguard`, {}, { token: ccj })).status).toBe(403);
    expect((await call('get', `${V}/tunnels/router-export/openvpn`, {}, { token: admin })).status).toBe(200);
    expect((await call('get', `${V}/tunnels/router-export/openvpn`, {}, { token: member })).status).toBe(403);
  });

  // --- identity ---
  it('verifications', async () => {
    const messages = app.lanterne.app.get(VerificationMessages);
    const codeOf = async (id: string) => (await messages.render(id))?.code as string;
    const subscriber = await makeSubscriber(app, technician);
    const started = await call('post', `${V}/subscribers/{id}/verifications`, { id: subscriber.id }, { token: technician, body: { method: 'sms', phone: '+32470999001' } });
    expect(started.status).toBe(201);
    expect((await call('post', `${V}/subscribers/{id}/verifications`, { id: subscriber.id }, { token: technician, body: { method: 'sms', phone: 'nope' } })).status).toBe(400);
    expect((await call('get', `${V}/subscribers/{id}/verifications`, { id: subscriber.id }, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/subscribers/{id}/verifications`, { id: subscriber.id }, { token: member })).status).toBe(403);
    expect((await call('get', `${V}/verifications/{id}`, { id: started.body.id }, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/verifications/{id}`, { id: '00000000-0000-4000-8000-000000000000' }, { token: technician })).status).toBe(404);
    expect((await call('post', `${V}/verifications/{id}/resend`, { id: started.body.id }, { token: technician })).status).toBe(429);
    app.clock.advance(60_000);
    try {
      expect((await call('post', `${V}/verifications/{id}/resend`, { id: started.body.id }, { token: technician })).status).toBe(200);
    } finally {
      app.clock.advance(-60_000);
    }
    const code = await codeOf(started.body.id);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    expect((await call('post', `${V}/verifications/{id}/confirm`, { id: started.body.id }, { token: technician, body: { code: wrong } })).status).toBe(422);
    expect((await call('post', `${V}/verifications/{id}/confirm`, { id: started.body.id }, { token: technician, body: { code } })).status).toBe(200);
    expect((await call('post', `${V}/verifications/{id}/confirm`, { id: started.body.id }, { token: technician, body: { code } })).status).toBe(409);

    const address = { line1: 'Rue du Contrat 1', postalCode: '1000', city: 'Bruxelles', country: 'BE' };
    const letter = await call('post', `${V}/subscribers/{id}/verifications`, { id: subscriber.id }, { token: technician, body: { method: 'postal', legalName: 'Contract Member', address } });
    expect(letter.status).toBe(201);
    expect((await call('get', `${V}/verifications/{id}/letter.pdf`, { id: letter.body.id }, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/verifications/{id}/letter.pdf`, { id: started.body.id }, { token: technician })).status).toBe(409);
    expect((await call('get', `${V}/verifications/letters.pdf`, {}, { token: technician, query: { status: 'pending' } })).status).toBe(200);
    expect((await call('get', `${V}/verifications/letters.pdf`, {}, { token: technician, query: { status: 'all' } })).status).toBe(400);
  });

  // --- dns and provisioning ---
  it('dns-and-provisioning', async () => {
    const subscriber = await call('post', `${V}/subscribers`, {}, { token: technician, body: { displayName: 'DNS Member', email: 'dns@example.org' } });
    const subscription = await call('post', `${V}/subscriptions`, {}, { token: technician, body: { subscriberId: subscriber.body.id, service: 'vpn' } });
    const held = await call('post', `${V}/subscriptions/{id}/ip-assignments`, { id: subscription.body.id }, { token: technician, body: { poolId: ids.pool } });
    expect(held.status).toBe(201);
    const id = subscription.body.id;
    const address = held.body.prefix.split('/')[0];

    expect((await call('put', `${V}/subscriptions/{id}/reverse-dns`, { id }, { token: technician, body: { address, name: 'contract.example.org' } })).status).toBe(200);
    expect((await call('put', `${V}/subscriptions/{id}/reverse-dns`, { id }, { token: technician, body: { address: '198.51.100.254', name: 'contract.example.org' } })).status).toBe(409);
    expect((await call('put', `${V}/subscriptions/{id}/reverse-dns`, { id }, { token: technician, body: { address, name: 'under_score.example.org' } })).status).toBe(400);
    expect((await call('get', `${V}/subscriptions/{id}/reverse-dns`, { id }, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/subscriptions/{id}/reverse-dns`, { id }, { token: ccj })).status).toBe(403);
    expect((await call('get', `${V}/subscriptions/{id}/reverse-dns/history`, { id }, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/subscriptions/{id}/reverse-dns/history`, { id }, { token: technician, query: { limit: '0' } })).status).toBe(400);
    expect((await call('get', `${V}/dns/zones`, {}, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/dns/zones`, {}, { token: member })).status).toBe(403);
    expect((await call('get', `${V}/dns/zones/{zone}`, { zone: '100.51.198.in-addr.arpa' }, { token: technician })).status).toBe(200);
    expect((await call('get', `${V}/dns/zones/{zone}`, { zone: '9.9.9.in-addr.arpa' }, { token: technician })).status).toBe(404);
    expect((await call('delete', `${V}/subscriptions/{id}/reverse-dns`, { id }, { token: technician, query: { address } })).status).toBe(204);
    expect((await call('delete', `${V}/subscriptions/{id}/reverse-dns`, { id }, { token: technician, query: { address } })).status).toBe(404);
    expect((await call('get', `${V}/provisioning/changes`, {}, { token: technician, query: { since: '0' } })).status).toBe(200);
    expect((await call('get', `${V}/provisioning/changes`, {}, { token: technician, query: { since: '-1' } })).status).toBe(400);
  });

  // --- legal requests ---
  it('legal-requests', async () => {
    const body = {
      authority: 'Parquet de Bruxelles',
      reference: 'BR/1',
      legalBasis: "Code d'instruction criminelle, art. 46bis",
      kind: 'identification',
      receivedAt: '2026-11-30T09:00:00+01:00',
      selectors: [{ address: '2001:db8::1', at: '2026-11-20T20:00:00Z' }],
    };
    const received = await call('post', `${V}/legal-requests`, {}, { token: ccj, body });
    expect(received.status).toBe(201);
    expect((await call('post', `${V}/legal-requests`, {}, { token: ccj, body: { ...body, receivedAt: '2026-11-30T09:00:00' } })).status).toBe(400);
    expect((await call('get', `${V}/legal-requests`, {}, { token: ccj })).status).toBe(200);
    expect((await call('get', `${V}/legal-requests`, {}, { token: technician })).status).toBe(403);
    expect((await call('get', `${V}/legal-requests/legal-bases`, {}, { token: ccj })).status).toBe(200);
    expect((await call('get', `${V}/legal-requests/legal-bases`, {}, { token: member })).status).toBe(403);
    const id = received.body.id;
    expect((await call('get', `${V}/legal-requests/{id}`, { id }, { token: ccj })).status).toBe(200);
    expect((await call('get', `${V}/legal-requests/{id}`, { id: '00000000-0000-4000-8000-000000000000' }, { token: ccj })).status).toBe(404);
    const pdf = Buffer.from('%PDF-1.7\nthe order\n%%EOF\n').toString('base64');
    const attached = await call('post', `${V}/legal-requests/{id}/documents`, { id }, { token: ccj, body: { filename: 'order.pdf', contentBase64: pdf } });
    expect(attached.status).toBe(201);
    expect((await call('post', `${V}/legal-requests/{id}/documents`, { id }, { token: ccj, body: { filename: 'order.pdf', contentBase64: Buffer.from('text').toString('base64') } })).status).toBe(422);
    expect((await call('get', `${V}/legal-requests/{id}/documents/{documentId}`, { id, documentId: attached.body.id }, { token: ccj })).status).toBe(200);
    expect((await call('get', `${V}/legal-requests/{id}/documents/{documentId}`, { id, documentId: '00000000-0000-4000-8000-000000000000' }, { token: ccj })).status).toBe(404);

    // A decision by two accredited members, then its execution and printing.
    const accreditation = { grantedOn: '2026-01-15', expiresOn: '2030-12-31', authority: 'Assemblée générale' };
    const judges: string[] = [];
    for (const name of ['Contract judge 1', 'Contract judge 2']) {
      const judge = await call('post', `${V}/users`, {}, { token: admin, body: { name, roles: ['ccj'] } });
      await call('post', `${V}/circles/{name}/members`, { name: 'ccj' }, { token: admin, body: { accountId: judge.body.id, accreditation } });
      judges.push(judge.body.token as string);
    }
    const pdfOf = (requestId: string) => call('get', `${V}/legal-requests/{id}/answer.pdf`, { id: requestId }, { token: judges[0] });
    expect((await call('post', `${V}/legal-requests/{id}/disclosures`, { id }, { token: judges[0] })).status).toBe(409);
    expect((await pdfOf(id)).status).toBe(409);
    expect((await call('post', `${V}/legal-requests/{id}/close`, { id }, { token: judges[0] })).status).toBe(409);
    expect((await call('post', `${V}/legal-requests/{id}/decision-proposal`, { id }, { token: judges[0], body: { decision: 'comply', rationale: 'r', closesAt: '2020-01-01T00:00:00Z' } })).status).toBe(422);
    expect((await call('post', `${V}/legal-requests/{id}/decision-proposal`, { id }, { token: ccj, body: { decision: 'comply', rationale: 'r' } })).status).toBe(403);
    const proposed = await call('post', `${V}/legal-requests/{id}/decision-proposal`, { id }, { token: judges[0], body: { decision: 'comply', rationale: 'A reasoned order.' } });
    expect(proposed.status).toBe(201);
    expect((await call('post', `${V}/legal-requests/{id}/decision-proposal`, { id }, { token: judges[0], body: { decision: 'obey', rationale: 'r' } })).status).toBe(400);
    for (const token of judges) await call('post', `${V}/proposals/{id}/positions`, { id: proposed.body.id }, { token, body: { position: 'consent' } });
    await call('post', `${V}/proposals/{id}/close`, { id: proposed.body.id }, { token: judges[0] });
    expect((await call('get', `${V}/legal-requests/{id}`, { id }, { token: ccj })).body.status).toBe('decided');
    expect((await call('post', `${V}/legal-requests/{id}/answer`, { id }, { token: judges[0] })).status).toBe(409);
    expect((await call('post', `${V}/legal-requests/{id}/disclosures`, { id }, { token: judges[0] })).status).toBe(201);
    expect((await call('post', `${V}/legal-requests/{id}/disclosures`, { id }, { token: judges[0] })).status).toBe(200);
    expect((await call('get', `${V}/legal-requests/{id}`, { id }, { token: ccj })).body.disclosures).toHaveLength(1);
    expect((await pdfOf(id)).status).toBe(200);
    expect((await call('post', `${V}/legal-requests/{id}/close`, { id }, { token: judges[0] })).status).toBe(200);

    // A refusal is answered by the answer route.
    const refused = (await call('post', `${V}/legal-requests`, {}, { token: ccj, body: { ...body, reference: 'BR/2' } })).body.id;
    const refusal = await call('post', `${V}/legal-requests/{id}/decision-proposal`, { id: refused }, { token: judges[1], body: { decision: 'refuse', rationale: 'No legal basis.' } });
    for (const token of judges) await call('post', `${V}/proposals/{id}/positions`, { id: refusal.body.id }, { token, body: { position: 'consent' } });
    await call('post', `${V}/proposals/{id}/close`, { id: refusal.body.id }, { token: judges[1] });
    expect((await call('post', `${V}/legal-requests/{id}/answer`, { id: refused }, { token: judges[1] })).status).toBe(200);
  });

  // --- legal requests: deadlines and compensation ---
  it('legal-request-deadlines-and-compensation', async () => {
    const received = await call('post', `${V}/legal-requests`, {}, {
      token: ccj,
      body: { authority: 'Parquet de Namur', reference: 'NA/1', legalBasis: 'art. 46bis', kind: 'identification', receivedAt: '2026-11-30T09:00:00Z', dueAt: '2026-12-30T09:00:00Z', selectors: [{ address: '192.0.2.9', at: '2026-11-20T20:00:00Z' }] },
    });
    const id = received.body.id;
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await call('get', `${V}/legal-requests`, {}, { token: ccj, query: { dueBefore: '2027-01-01T00:00:00Z', status: 'received' } })).status).toBe(200);
    expect((await call('get', `${V}/legal-requests`, {}, { token: ccj, query: { dueBefore: 'soon' } })).status).toBe(400);

    expect((await call('put', `${V}/legal-requests/{id}/due-at`, { id }, { token: ccj, body: { dueAt: '2027-01-15T09:00:00Z' } })).status).toBe(200);
    expect((await call('put', `${V}/legal-requests/{id}/due-at`, { id }, { token: ccj, body: { dueAt: '2027-01-15T09:00:00' } })).status).toBe(400);
    expect((await call('put', `${V}/legal-requests/{id}/due-at`, { id: unknown }, { token: ccj, body: { dueAt: '2027-01-15T09:00:00Z' } })).status).toBe(404);
    expect((await call('put', `${V}/legal-requests/{id}/due-at`, { id }, { token: technician, body: { dueAt: '2027-01-15T09:00:00Z' } })).status).toBe(403);
    const answered = await call('post', `${V}/legal-requests`, {}, {
      token: ccj,
      body: { authority: 'Parquet de Namur', reference: 'NA/2', legalBasis: 'art. 46bis', kind: 'identification', receivedAt: '2026-11-30T09:00:00Z', selectors: [{ address: '192.0.2.9', at: '2026-11-20T20:00:00Z' }] },
    });
    await app.sql(`UPDATE legal_requests SET status = 'answered', decision = 'refuse', decided_at = now(), answered_at = now() WHERE id = $1`, [answered.body.id]);
    expect((await call('put', `${V}/legal-requests/{id}/due-at`, { id: answered.body.id }, { token: ccj, body: { dueAt: '2027-01-15T09:00:00Z' } })).status).toBe(409);

    const compensation = { amount: '12.50', currency: 'EUR', status: 'paid', claimedOn: '2026-12-01', paidOn: '2026-12-20', note: 'Mémoire de frais' };
    expect((await call('put', `${V}/legal-requests/{id}/compensation`, { id }, { token: ccj, body: compensation })).status).toBe(200);
    expect((await call('get', `${V}/legal-requests/{id}`, { id }, { token: ccj })).body.compensation).toMatchObject({ amount: '12.50', status: 'paid' });
    expect((await call('put', `${V}/legal-requests/{id}/compensation`, { id }, { token: ccj, body: { ...compensation, amount: '-1' } })).status).toBe(400);
    expect((await call('put', `${V}/legal-requests/{id}/compensation`, { id: unknown }, { token: ccj, body: compensation })).status).toBe(404);
  });

  // --- consensus ---
  it('circles-and-proposals', async () => {
    const judge = await call('post', `${V}/users`, {}, { token: admin, body: { name: 'Contract ccj', roles: ['ccj'] } });
    const accreditation = { grantedOn: '2026-01-15', expiresOn: '2030-12-31', authority: 'Assemblée générale' };
    expect((await call('post', `${V}/circles/{name}/members`, { name: 'ccj' }, { token: admin, body: { accountId: judge.body.id, accreditation } })).status).toBe(201);
    expect((await call('post', `${V}/circles/{name}/members`, { name: 'ccj' }, { token: admin, body: { accountId: judge.body.id, accreditation } })).status).toBe(409);
    expect((await call('get', `${V}/circles/{name}/members`, { name: 'ccj' }, { token: ccj })).status).toBe(200);
    expect((await call('get', `${V}/circles/{name}/members`, { name: 'assembly' }, { token: admin })).status).toBe(404);

    const opened = await call('post', `${V}/proposals`, {}, { token: judge.body.token, body: { title: 'Se conformer', body: 'Réquisition 12.', circle: 'ccj', blind: true } });
    expect(opened.status).toBe(201);
    expect((await call('post', `${V}/proposals`, {}, { token: ccj, body: { title: 'Hors cercle', body: 'Texte.', circle: 'ccj' } })).status).toBe(403);
    const id = opened.body.id;
    expect((await call('get', `${V}/proposals/{id}`, { id }, { token: judge.body.token })).status).toBe(200);
    expect((await call('get', `${V}/proposals/{id}`, { id }, { token: technician })).status).toBe(403);
    expect((await call('post', `${V}/proposals/{id}/positions`, { id }, { token: judge.body.token, body: { position: 'consent' } })).status).toBe(200);
    expect((await call('post', `${V}/proposals/{id}/positions`, { id }, { token: judge.body.token, body: { position: 'block' } })).status).toBe(400);
    expect((await call('post', `${V}/proposals/{id}/close`, { id }, { token: judge.body.token })).status).toBe(200);
    expect((await call('post', `${V}/proposals/{id}/close`, { id }, { token: technician })).status).toBe(403);
    expect((await call('post', `${V}/proposals/{id}/positions`, { id }, { token: judge.body.token, body: { position: 'consent' } })).status).toBe(409);

    const renewal = { grantedOn: '2026-06-01', expiresOn: '2031-05-31', authority: 'Conseil' };
    expect((await call('put', `${V}/circles/{name}/members/{accountId}/accreditation`, { name: 'ccj', accountId: judge.body.id }, { token: admin, body: renewal })).status).toBe(200);
    expect((await call('put', `${V}/circles/{name}/members/{accountId}/accreditation`, { name: 'ccj', accountId: judge.body.id }, { token: admin, body: { ...renewal, expiresOn: '2020-01-01' } })).status).toBe(422);
    expect((await call('delete', `${V}/circles/{name}/members/{accountId}`, { name: 'ccj', accountId: judge.body.id }, { token: admin })).status).toBe(204);
    expect((await call('delete', `${V}/circles/{name}/members/{accountId}`, { name: 'ccj', accountId: judge.body.id }, { token: admin })).status).toBe(404);
  });

  // --- transparency and canary ---
  it('transparency', async () => {
    const report = await call('get', `${V}/transparency`, {});
    expect(report.status).toBe(200);
    expect(report.body.years).toEqual([expect.objectContaining({ year: 2026, total: { fewerThan: 5 } })]);
  });

  it('canary', async () => {
    expect((await call('get', `${V}/canary`, {})).status).toBe(404);
    const members: string[] = [];
    for (const name of ['Canary ccj 1', 'Canary ccj 2']) {
      const created = await call('post', `${V}/users`, {}, { token: admin, body: { name, roles: ['ccj'] } });
      const accreditation = { grantedOn: '2026-01-15', expiresOn: '2030-12-31', authority: 'Assemblée générale' };
      expect((await call('post', `${V}/circles/{name}/members`, { name: 'ccj' }, { token: admin, body: { accountId: created.body.id, accreditation } })).status).toBe(201);
      members.push(created.body.token);
    }
    const body = { statement: 'No order we may not disclose.', renewBy: '2026-09-01T00:00:00Z' };
    expect((await call('post', `${V}/canary/proposals`, {}, { token: ccj, body })).status).toBe(403);
    expect((await call('post', `${V}/canary/proposals`, {}, { token: members[0], body: { ...body, renewBy: '2020-01-01T00:00:00Z' } })).status).toBe(422);
    expect((await call('post', `${V}/canary/proposals`, {}, { token: members[0], body: { ...body, statement: '' } })).status).toBe(400);
    for (const round of [1, 2]) {
      const proposed = await call('post', `${V}/canary/proposals`, {}, { token: members[0], body: { ...body, statement: `Statement ${round}.` } });
      expect(proposed.status).toBe(201);
      for (const token of members) await app.http.post(`${V}/proposals/${proposed.body.proposalId}/positions`).set(bearer(token)).send({ position: 'consent' }).expect(200);
      await app.http.post(`${V}/proposals/${proposed.body.proposalId}/close`).set(bearer(members[0])).expect(200);
    }
    expect((await call('get', `${V}/canary`, {})).status).toBe(200);
    expect((await call('get', `${V}/canary/history`, {})).body.total).toBe(1);
    expect((await call('get', `${V}/canary/history`, {}, { query: { limit: '0' } })).status).toBe(400);
  });

  // --- governance ---
  it('privilege-proposals-and-the-public-log-of-admin-actions', async () => {
    const seated: { id: string; token: string }[] = [];
    for (const name of ['Board A', 'Board B']) {
      const made = await call('post', `${V}/users`, {}, { token: admin, body: { name, roles: ['technician'] } });
      expect((await call('post', `${V}/circles/{name}/members`, { name: 'board' }, { token: admin, body: { accountId: made.body.id } })).status).toBe(201);
      seated.push(made.body);
    }
    const pending = await call('post', `${V}/users`, {}, { token: admin, body: { name: 'New admin', roles: ['observer'] } });
    const grant = { accountId: pending.body.id, role: 'admin', change: 'grant', rationale: 'Tient le serveur.' };
    expect((await call('post', `${V}/privilege-proposals`, {}, { token: seated[0].token, body: grant })).status).toBe(201);
    expect((await call('post', `${V}/privilege-proposals`, {}, { token: seated[1].token, body: grant })).status).toBe(409);
    expect((await call('post', `${V}/privilege-proposals`, {}, { token: seated[0].token, body: { ...grant, accountId: '00000000-0000-4000-8000-000000000000' } })).status).toBe(404);
    expect((await call('post', `${V}/privilege-proposals`, {}, { token: technician, body: { ...grant, role: 'ccj' } })).status).toBe(403);
    expect((await call('post', `${V}/privilege-proposals`, {}, { token: seated[0].token, body: { ...grant, role: 'root' } })).status).toBe(400);

    expect((await call('get', `${V}/public/admin-actions`, {}, { query: { proofs: 'true', limit: '5' } })).status).toBe(200);
    expect((await call('get', `${V}/public/admin-actions`, {}, { query: { offset: '2' } })).status).toBe(200);
    expect((await call('get', `${V}/public/admin-actions`, {}, { query: { limit: '0' } })).status).toBe(400);
    expect((await call('get', `${V}/public/admin-actions`, {}, { query: { treeSize: '1000000000' } })).status).toBe(404);
  });

  it('every-documented-operation-was-called-with-a-success-and-an-error', () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries(document.paths)) {
      for (const method of Object.keys(item) as Method[]) {
        const seen = exercised.get(`${method} ${path}`) ?? new Set();
        for (const outcome of ['success', 'error'] as const) if (!seen.has(outcome)) missing.push(`${method.toUpperCase()} ${path}: no ${outcome}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
