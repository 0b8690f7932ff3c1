import { storedLeaves } from '../support/ledger';
import { expectBadInput, expectForbidden } from '../support/refusals';
import { bearer, createTestApp, TestApp } from '../support/test-app';

/** What the authority owes the association for a request, and the list of what is due. */

const V = '/api/v1';
const TABLES = ['legal_request_compensations', 'ledger_leaves'];

let app: TestApp;
let ccj: string;

async function receive(overrides: Record<string, unknown> = {}): Promise<string> {
  const r = await app.http
    .post(`${V}/legal-requests`)
    .set(bearer(ccj))
    .send({
      authority: 'Parquet de Paris',
      reference: 'P/2026/1',
      legalBasis: 'Code de procédure pénale, art. 60-1',
      kind: 'identification',
      receivedAt: '2026-06-01T08:00:00Z',
      selectors: [{ address: '2001:db8::7', at: '2026-05-20T20:00:00Z' }],
      ...overrides,
    });
  expect(r.status).toBe(201);
  return r.body.id;
}

const claimed = { amount: '12.50', currency: 'EUR', status: 'claimed', claimedOn: '2026-06-15' };

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set('2026-06-01T10:00:00Z');
  ccj = await app.tokenFor('ccj');
});
afterAll(() => app.close());

describe('compensation', () => {
  it('a-request-shows-no-compensation-until-one-is-recorded', async () => {
    const id = await receive();
    expect((await app.http.get(`${V}/legal-requests/${id}`).set(bearer(ccj))).body.compensation).toBeNull();
  });

  it('a-claim-then-its-payment-are-shown-and-ledgered-with-the-amounts-in-clear-and-the-note-committed', async () => {
    const id = await receive();
    const set = await app.http.put(`${V}/legal-requests/${id}/compensation`).set(bearer(ccj)).send({ ...claimed, amount: '12.5', note: 'Mémoire de frais n° 2026-014' });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ amount: '12.50', currency: 'EUR', status: 'claimed', claimedOn: '2026-06-15', paidOn: null, note: 'Mémoire de frais n° 2026-014', updatedAt: '2026-06-01T10:00:00.000Z' });

    app.clock.set('2026-07-01T10:00:00Z');
    const paid = await app.http.put(`${V}/legal-requests/${id}/compensation`).set(bearer(ccj)).send({ ...claimed, status: 'paid', paidOn: '2026-06-30' });
    expect(paid.status).toBe(200);
    const shown = await app.http.get(`${V}/legal-requests/${id}`).set(bearer(ccj));
    expect(shown.body.compensation).toEqual({ amount: '12.50', currency: 'EUR', status: 'paid', claimedOn: '2026-06-15', paidOn: '2026-06-30', note: null, updatedAt: '2026-07-01T10:00:00.000Z' });
    expect(await app.sql('SELECT amount::text, currency FROM legal_request_compensations WHERE request_id = $1', [id])).toEqual([{ amount: '12.50', currency: 'EUR' }]);

    const entries = (await storedLeaves(app)).filter((leaf) => leaf.action === 'legal-request.compensation-set' && leaf.refs.requestId === id);
    expect(entries.map((e) => e.refs)).toEqual([
      { requestId: id, amount: '12.50', currency: 'EUR', status: 'claimed', claimedOn: '2026-06-15', paidOn: null },
      { requestId: id, amount: '12.50', currency: 'EUR', status: 'paid', claimedOn: '2026-06-15', paidOn: '2026-06-30' },
    ]);
    expect(Object.keys(entries[0].personal)).toEqual(['note']);
    expect(JSON.stringify(entries)).not.toContain('Mémoire');
    expect(entries[1].personal).toEqual({});
  });

  it('not-claimed-has-no-date-and-refused-keeps-its-claim-date', async () => {
    const id = await receive();
    const notClaimed = await app.http.put(`${V}/legal-requests/${id}/compensation`).set(bearer(ccj)).send({ amount: '0', currency: 'EUR', status: 'not-claimed' });
    expect(notClaimed.body).toMatchObject({ amount: '0.00', status: 'not-claimed', claimedOn: null, paidOn: null });
    const refused = await app.http.put(`${V}/legal-requests/${id}/compensation`).set(bearer(ccj)).send({ ...claimed, amount: '9999999999.99', status: 'refused', note: 'Hors tarif' });
    expect(refused.body).toMatchObject({ amount: '9999999999.99', status: 'refused', claimedOn: '2026-06-15', paidOn: null, note: 'Hors tarif' });
  });

  it('a-closed-request-may-still-be-paid', async () => {
    const id = await receive();
    await app.sql(`UPDATE legal_requests SET status = 'closed', decision = 'comply', decided_at = $2, answered_at = $2, closed_at = $2 WHERE id = $1`, [id, '2026-06-10T10:00:00Z']);
    const paid = await app.http.put(`${V}/legal-requests/${id}/compensation`).set(bearer(ccj)).send({ ...claimed, status: 'paid', paidOn: '2026-06-15' });
    expect(paid.status).toBe(200);
  });

  it('refuses-an-amount-a-currency-or-dates-that-do-not-hold-naming-the-field-and-writing-nothing', async () => {
    const id = await receive();
    const path = `${V}/legal-requests/${id}/compensation`;
    for (const amount of ['-1', '12.345', '1e3', '12,50', '', ' 12', '012', '10000000000', '1.']) await expectBadInput(app, ccj, TABLES, 'put', path, { ...claimed, amount }, 'amount');
    await expectBadInput(app, ccj, TABLES, 'put', path, { ...claimed, amount: 12.5 }, 'amount');
    for (const currency of ['eur', 'EURO', '€', '']) await expectBadInput(app, ccj, TABLES, 'put', path, { ...claimed, currency }, 'currency');
    await expectBadInput(app, ccj, TABLES, 'put', path, { ...claimed, status: 'pending' }, 'status');
    await expectBadInput(app, ccj, TABLES, 'put', path, { ...claimed, claimedOn: '15/06/2026' }, 'claimedOn');
    await expectBadInput(app, ccj, TABLES, 'put', path, { ...claimed, claimedOn: undefined }, 'claimedOn');
    await expectBadInput(app, ccj, TABLES, 'put', path, { amount: '1', currency: 'EUR', status: 'not-claimed', claimedOn: '2026-06-15' }, 'claimedOn');
    await expectBadInput(app, ccj, TABLES, 'put', path, { ...claimed, status: 'paid' }, 'paidOn');
    await expectBadInput(app, ccj, TABLES, 'put', path, { ...claimed, status: 'paid', paidOn: '2026-06-14' }, 'paidOn');
    await expectBadInput(app, ccj, TABLES, 'put', path, { ...claimed, paidOn: '2026-06-20' }, 'paidOn');
    await expectBadInput(app, ccj, TABLES, 'put', path, { ...claimed, note: '' }, 'note');
    await expectBadInput(app, ccj, TABLES, 'put', path, { ...claimed, note: 'x'.repeat(2001) }, 'note');
    await expectBadInput(app, ccj, TABLES, 'put', path, { ...claimed, payer: 'SPF Justice' }, '');
    await expectBadInput(app, ccj, TABLES, 'put', `${V}/legal-requests/nope/compensation`, claimed, 'id');
    const unknown = await app.http.put(`${V}/legal-requests/00000000-0000-4000-8000-000000000000/compensation`).set(bearer(ccj)).send(claimed);
    expect(unknown.status).toBe(404);
    await expectForbidden(app, await app.tokenFor('technician'), TABLES, 'put', path, claimed);
    expect((await app.http.get(`${V}/legal-requests/${id}`).set(bearer(ccj))).body.compensation).toBeNull();
  });
});

describe('what is due', () => {
  it('lists-the-requests-due-before-an-instant-nearest-deadline-first-by-status-and-by-page', async () => {
    const later = await receive({ dueAt: '2030-03-20T10:00:00Z' });
    const nearest = await receive({ dueAt: '2030-03-05T10:00:00Z' });
    const middle = await receive({ dueAt: '2030-03-10T10:00:00Z' });
    await receive({ dueAt: '2030-05-01T10:00:00Z' });
    await app.sql(`UPDATE legal_requests SET status = 'answered', decision = 'comply', decided_at = $2, answered_at = $2 WHERE id = $1`, [middle, '2026-06-02T10:00:00Z']);

    const due = await app.http.get(`${V}/legal-requests`).query({ dueBefore: '2030-04-01T00:00:00+02:00' }).set(bearer(ccj));
    expect(due.status).toBe(200);
    expect(due.body).toMatchObject({ total: 3, limit: 50, offset: 0 });
    expect(due.body.items.map((r: { id: string }) => r.id)).toEqual([nearest, middle, later]);

    const open = await app.http.get(`${V}/legal-requests`).query({ dueBefore: '2030-04-01T00:00:00Z', status: 'received', limit: '1', offset: '1' }).set(bearer(ccj));
    expect(open.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(open.body.items.map((r: { id: string }) => r.id)).toEqual([later]);

    const answered = await app.http.get(`${V}/legal-requests`).query({ status: 'answered' }).set(bearer(ccj));
    expect(answered.body.items.map((r: { id: string }) => r.id)).toEqual([middle]);
    const all = await app.http.get(`${V}/legal-requests`).set(bearer(ccj));
    expect(all.body.total).toBeGreaterThan(4);
  });

  it('refuses-a-status-or-instant-it-does-not-know', async () => {
    await expectBadInput(app, ccj, TABLES, 'get', `${V}/legal-requests?status=pending`, undefined, 'status');
    await expectBadInput(app, ccj, TABLES, 'get', `${V}/legal-requests?dueBefore=2030-04-01T00:00:00`, undefined, 'dueBefore');
    await expectBadInput(app, ccj, TABLES, 'get', `${V}/legal-requests?dueBefore=tomorrow`, undefined, 'dueBefore');
  });
});
