import { GagCheck } from '../../src/legal-requests/gag-check';
import { makePool } from '../factories/network.factory';
import { storedLeaves } from '../support/ledger';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { ccjActor, discloseAbout, makeMember, receiveRequest } from './concerned-members';

/**
 * Retention of legal-request records (both profiles: 1827 days after closing), travelling in time with
 * the test clock. Requests are closed here by SQL: closing is the decisions' code, not this one's.
 */
const V = '/api/v1';
const DAY = 24 * 3600 * 1000;
const REQUEST_TABLES = ['legal_requests', 'legal_request_selectors', 'legal_request_documents', 'legal_request_subjects', 'legal_request_subject_selectors'];
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nthe order\n%%EOF\n');

let app: TestApp;
let tech: string;
let ccj: string;
let poolId: string;

beforeAll(async () => {
  app = await createTestApp();
  tech = await app.tokenFor('technician');
  ccj = await app.tokenFor('ccj');
  poolId = (await makePool(app, tech, '192.0.2.0/24', 32)).id;
});
afterAll(() => app.close());

const run = async () => {
  const r = await app.http.post(`${V}/admin/retention/run`).set(bearer(app.adminToken));
  expect(r.status).toBe(200);
  return r.body.purged['legal-requests'] as number;
};
const gagCheck = () => app.lanterne.app.get(GagCheck).run();
const close = (id: string) =>
  app.sql(`UPDATE legal_requests SET status = 'closed', decision = 'comply', decided_at = $2, answered_at = $2, closed_at = $2 WHERE id = $1`, [id, app.clock.now()]);
async function rowsOf(id: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of REQUEST_TABLES) {
    const column = table === 'legal_requests' ? 'id' : 'request_id';
    counts[table] = Number((await app.sql<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${column} = $1`, [id]))[0].n);
  }
  return counts;
}
const gone = Object.fromEntries(REQUEST_TABLES.map((table) => [table, 0]));

/** A request about a new member, disclosed (their lookup, identity read and disclosure in the ledger), with a document. */
async function disclosedRequest(overrides: Record<string, unknown> = {}): Promise<{ id: string; indexes: number[] }> {
  const member = await makeMember(app, tech, poolId);
  const id = await receiveRequest(app, ccj, { selectors: [{ address: member.address, at: '2026-05-10T21:00:00Z' }], ...overrides });
  const attached = await app.http.post(`${V}/legal-requests/${id}/documents`).set(bearer(ccj)).send({ filename: 'order.pdf', contentBase64: PDF.toString('base64') });
  expect(attached.status).toBe(201);
  return { id, indexes: await discloseAbout(app, await ccjActor(app, ccj), id, member) };
}

it('purges-a-closed-request-five-years-after-closing-and-keeps-open-gagged-and-untold-ones', async () => {
  const closed = await disclosedRequest();
  await close(closed.id);
  expect(await gagCheck()).toBe(1);
  const gagged = await disclosedRequest({ gagUntil: '2032-01-01T00:00:00Z' });
  await close(gagged.id);
  const untold = await disclosedRequest();
  await close(untold.id);
  const open = await disclosedRequest();
  const kept = await rowsOf(closed.id);
  expect(kept).toEqual({ ...kept, legal_requests: 1, legal_request_documents: 1, legal_request_subjects: 1 });

  // 1827 days to the millisecond is not yet past the policy.
  app.clock.advance(1827 * DAY);
  expect(await run()).toBe(0);

  app.clock.advance(1);
  expect(await run()).toBe(1);
  expect(await rowsOf(closed.id)).toEqual(gone);
  for (const id of [gagged.id, untold.id, open.id]) expect((await rowsOf(id)).legal_requests).toBe(1);
  expect((await app.http.get(`${V}/legal-requests/${closed.id}`).set(bearer(ccj))).status).toBe(404);

  // The ledger keeps its entries and still verifies; what they held personal about the request is erased.
  const leaves = await storedLeaves(app);
  expect(closed.indexes.map((i) => leaves[i].action)).toEqual(['ip-history.looked-up', 'identity.read', 'identity.disclosed']);
  const values = await app.sql<{ leaf_index: string; sealed: Buffer | null }>(`SELECT leaf_index, sealed FROM ledger_personal_values WHERE leaf_index = ANY ($1::bigint[])`, [
    [...closed.indexes, ...untold.indexes],
  ]);
  expect(values.filter((v) => closed.indexes.includes(Number(v.leaf_index))).map((v) => v.sealed)).toEqual([null, null, null]);
  expect(values.filter((v) => untold.indexes.includes(Number(v.leaf_index))).every((v) => v.sealed !== null)).toBe(true);
  expect((await app.http.get(`${V}/ledger/verify`).set(bearer(app.adminToken))).body).toMatchObject({ ok: true });
  expect((await storedLeaves(app)).at(-1)).toMatchObject({ action: 'retention.ran', refs: expect.objectContaining({ 'purged.legal-requests': 1, 'keepDays.legal-requests': 1827 }) });

  // Once its member is told, the untold one goes at the next run; the gagged one waits for its gag, then for the telling.
  expect(await gagCheck()).toBe(2);
  expect(await run()).toBe(1);
  expect(await rowsOf(untold.id)).toEqual(gone);
  expect((await rowsOf(gagged.id)).legal_requests).toBe(1);

  app.clock.set('2032-01-01T00:00:00Z');
  expect(await run()).toBe(0);
  expect(await gagCheck()).toBe(1);
  expect(await run()).toBe(1);
  expect(await rowsOf(gagged.id)).toEqual(gone);

  // Never closed, never purged by this rule.
  app.clock.advance(20 * 365 * DAY);
  expect(await run()).toBe(0);
  expect((await rowsOf(open.id)).legal_requests).toBe(1);
});
