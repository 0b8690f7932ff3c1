import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assign, makePool } from '../factories/network.factory';
import { makeSubscriber, makeSubscription } from '../factories/subscriber.factory';
import { LeafJson, storedLeaves, treeSize } from '../support/ledger';
import { expectBadInput, expectForbidden } from '../support/refusals';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { confirm, lastMessageOf, memberToken, outboxDir, startVerification } from '../support/verification';

const V = '/api/v1';
const TABLES = ['legal_requests', 'legal_request_decisions', 'legal_request_disclosures', 'proposals', 'ledger_leaves'];
const LEGAL_BASIS = "Code d'instruction criminelle, art. 46bis";
const NIL = '00000000-0000-4000-8000-000000000000';

interface Person {
  id: string;
  token: string;
}

let app: TestApp;
let dir: string;
let technician: string;
let alice: Person;
let bob: Person;
/** In the ccj role, but not in the circle. */
let outsider: Person;
/** In the circle, with an accreditation that expired on 2026-05-31. */
let lapsed: Person;
let member: string;
let holder: { id: string; memberNumber: number; email: string };
const pdfs = mkdtempSync(join(tmpdir(), 'lanterne-answer-pdf-'));

async function person(...roles: string[]): Promise<Person> {
  const created = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name: `someone ${roles.join('+')}`, roles }).expect(201);
  return { id: created.body.id, token: created.body.token };
}

const joinCcj = (who: Person, expiresOn = '2030-12-31') =>
  app.http
    .post(`${V}/circles/ccj/members`)
    .set(bearer(app.adminToken))
    .send({ accountId: who.id, accreditation: { grantedOn: '2026-01-15', expiresOn, authority: 'Assemblée générale du 15 janvier 2026' } })
    .expect(201);

const request = (overrides: Record<string, unknown> = {}) => ({
  authority: 'Parquet du procureur du Roi de Bruxelles',
  reference: 'BR.12.AB.2026/42',
  legalBasis: LEGAL_BASIS,
  kind: 'identification',
  receivedAt: '2026-05-30T09:15:00+02:00',
  selectors: [
    // Inside the assignment (held 2026-01-05 → 2026-03-01), then after its release.
    { address: '192.0.2.10', at: '2026-02-01T21:04:05+01:00' },
    { address: '192.0.2.10', at: '2026-04-01T08:00:00Z' },
  ],
  ...overrides,
});

async function receive(body: object = request()): Promise<string> {
  const r = await app.http.post(`${V}/legal-requests`).set(bearer(alice.token)).send(body);
  expect(r.status).toBe(201);
  return r.body.id;
}

const propose = (id: string, body: Record<string, unknown> = {}, who: Person = alice) =>
  app.http.post(`${V}/legal-requests/${id}/decision-proposal`).set(bearer(who.token)).send({ decision: 'comply', rationale: 'Order is reasoned and names an instant.', ...body });
const take = (proposalId: string, who: Person, position: string, reason?: string) =>
  app.http.post(`${V}/proposals/${proposalId}/positions`).set(bearer(who.token)).send({ position, reason }).expect(200);
const closeProposal = (proposalId: string) => app.http.post(`${V}/proposals/${proposalId}/close`).set(bearer(alice.token)).expect(200);
const disclose = (id: string, who: Person = alice) => app.http.post(`${V}/legal-requests/${id}/disclosures`).set(bearer(who.token));
const show = async (id: string) => (await app.http.get(`${V}/legal-requests/${id}`).set(bearer(alice.token)).expect(200)).body;

/** A request decided as `decision` by alice and bob consenting. */
async function decided(body: object, decision = 'comply'): Promise<string> {
  const id = await receive(body);
  const opened = await propose(id, { decision });
  expect(opened.status).toBe(201);
  await take(opened.body.id, alice, 'consent');
  await take(opened.body.id, bob, 'consent');
  await closeProposal(opened.body.id);
  return id;
}

function getPdf(path: string, token = alice.token) {
  return app.http
    .get(path)
    .set(bearer(token))
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
}

function pdfText(bytes: Buffer): string {
  const file = join(pdfs, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

const leavesOf = async (requestId: string): Promise<LeafJson[]> =>
  (await storedLeaves(app)).filter((leaf) => leaf.refs.requestId === requestId || leaf.refs.boundId === requestId);

beforeAll(async () => {
  dir = outboxDir();
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${dir}`, LANTERNE_ASSOCIATION_NAME: 'Neutrinet ASBL', LANTERNE_ASSOCIATION_ADDRESS: 'Rue du Réseau 1|1000 Bruxelles' });
  app.clock.set('2026-01-01T10:00:00Z');
  technician = await app.tokenFor('technician');
  [alice, bob, outsider, lapsed] = [await person('ccj'), await person('ccj'), await person('ccj'), await person('ccj')];
  await joinCcj(alice);
  await joinCcj(bob);
  await joinCcj(lapsed, '2026-05-31');

  // The holder: a verified identity (legal name and phone), an address held from 2026-01-05 to 2026-03-01.
  const subscriber = await makeSubscriber(app, technician, { displayName: 'Jo', email: 'jo.holder@example.org' });
  holder = { id: subscriber.id, memberNumber: subscriber.memberNumber, email: subscriber.email };
  member = await memberToken(app, subscriber.id);
  const v = await startVerification(app, technician, subscriber.id, { method: 'sms', phone: '+32470123456', legalName: 'Josephine Holder' });
  const { code } = await lastMessageOf(app, dir, v.id);
  expect((await confirm(app, technician, v.id, code)).status).toBe(200);
  const subscription = await makeSubscription(app, technician, subscriber.id);
  const pool = await makePool(app, technician, '192.0.2.0/24', 32);
  app.clock.set('2026-01-05T00:00:00Z');
  const assigned = await assign(app, technician, subscription.id, { poolId: pool.id, prefix: '192.0.2.10/32' });
  expect(assigned.status).toBe(201);
  app.clock.set('2026-03-01T00:00:00Z');
  await app.http.post(`${V}/ip-assignments/${assigned.body.id}/release`).set(bearer(technician)).expect(200);
  app.clock.set('2026-06-01T12:00:00Z');
}, 60_000);
afterAll(() => app.close());

describe('the full story of an identification request', () => {
  let id: string;
  let proposalId: string;

  it('a-blocked-decision-sends-the-request-back-to-received', async () => {
    id = await receive();
    const opened = await propose(id, { rationale: 'Too vague, but let us see.' });
    expect(opened.status).toBe(201);
    expect(opened.body).toEqual({ id: expect.any(String), status: 'open', decision: 'comply' });
    expect((await show(id)).status).toBe('under-review');

    const proposal = (await app.http.get(`${V}/proposals/${opened.body.id}`).set(bearer(bob.token)).expect(200)).body;
    expect(proposal.circle).toBe('ccj');
    for (const said of ['identification', 'Parquet du procureur du Roi de Bruxelles', 'BR.12.AB.2026/42', LEGAL_BASIS, 'comply', 'Too vague, but let us see.']) expect(proposal.body).toContain(said);

    await take(opened.body.id, alice, 'consent');
    await take(opened.body.id, bob, 'block', 'The order does not say which offence.');
    expect((await closeProposal(opened.body.id)).body.status).toBe('rejected');
    const view = await show(id);
    expect(view).toMatchObject({ status: 'received', decision: null, decidedAt: null });
    expect(view.decisionProposal).toMatchObject({ id: opened.body.id, decision: 'comply', status: 'rejected', tally: { consent: 1, block: 1 }, closedAt: expect.any(String) });
    expect((await disclose(id)).status).toBe(409);
  });

  it('an-adopted-comply-decides-the-request-each-move-in-the-ledger', async () => {
    const opened = await propose(id, { rationale: 'The prosecutor named the offence.', quorum: 2, blind: true });
    expect(opened.status).toBe(201);
    proposalId = opened.body.id;
    await take(proposalId, alice, 'consent');
    await take(proposalId, bob, 'consent');
    expect((await closeProposal(proposalId)).body.status).toBe('adopted');
    const view = await show(id);
    expect(view).toMatchObject({ status: 'decided', decision: 'comply', decidedAt: expect.any(String), disclosures: [], disclosedAt: null });
    expect(view.decisionProposal).toMatchObject({ id: proposalId, rationale: 'The prosecutor named the offence.', status: 'adopted' });
    // Both proposals are kept.
    expect(await app.sql('SELECT decision FROM legal_request_decisions WHERE request_id = $1', [id])).toHaveLength(2);

    const moves = (await leavesOf(id)).filter((leaf) => leaf.action === 'legal-request.status-changed').map((leaf) => [leaf.refs.from, leaf.refs.to, leaf.refs.proposalId]);
    const [first] = await app.sql<{ proposal_id: string }>('SELECT proposal_id FROM legal_request_decisions WHERE request_id = $1 ORDER BY seq LIMIT 1', [id]);
    expect(moves).toEqual([
      ['received', 'under-review', first.proposal_id],
      ['under-review', 'received', first.proposal_id],
      ['received', 'under-review', proposalId],
      ['under-review', 'decided', proposalId],
    ]);
  });

  it('the-disclosure-answers-exactly-the-allowed-keys-and-ledgers-each-read-under-the-legal-basis', async () => {
    const before = await treeSize(app);
    const r = await disclose(id);
    expect(r.status).toBe(201);
    expect(r.body).toHaveLength(2);
    const [match, noMatch] = r.body;
    expect(Object.keys(match).sort()).toEqual(['legalName', 'memberNumber', 'result', 'selector', 'verifiedContact']);
    expect(Object.keys(match.selector).sort()).toEqual(['address', 'at']);
    expect(Object.keys(match.verifiedContact).sort()).toEqual(['method', 'value', 'verifiedAt']);
    expect(match).toEqual({
      selector: { address: '192.0.2.10', at: '2026-02-01T20:04:05.000Z' },
      result: 'match',
      memberNumber: holder.memberNumber,
      legalName: 'Josephine Holder',
      verifiedContact: { method: 'sms', value: '+32470123456', verifiedAt: '2026-01-01T10:00:00.000Z' },
    });
    expect(Object.keys(noMatch).sort()).toEqual(['result', 'selector']);
    expect(noMatch).toEqual({ selector: { address: '192.0.2.10', at: '2026-04-01T08:00:00.000Z' }, result: 'no-match' });
    expect(JSON.stringify(r.body)).not.toContain(holder.email);

    const leaves = (await storedLeaves(app)).slice(before);
    expect(leaves.map((leaf) => leaf.action)).toEqual([
      'ip-history.looked-up',
      'identity.read',
      'ip-history.looked-up',
      'identity.disclosed',
      'legal-request.disclosed',
      'legal-request.status-changed',
    ]);
    for (const leaf of leaves.slice(0, 4)) expect(leaf.purposeCategory).toBe('legal-request');
    expect(leaves[3]).toMatchObject({ subject: holder.id, legalBasis: LEGAL_BASIS, refs: { requestId: id, selector: 0 } });
    expect(leaves[4]).toMatchObject({ legalBasis: LEGAL_BASIS, refs: { requestId: id, matches: 1, noMatches: 1 } });
    expect(leaves[5].refs).toMatchObject({ from: 'decided', to: 'answered' });
    // No personal value in clear in any leaf.
    for (const secret of ['Josephine', '+32470123456', '192.0.2.10', holder.email]) expect(JSON.stringify(leaves)).not.toContain(secret);

    const view = await show(id);
    expect(view).toMatchObject({ status: 'answered', answeredAt: '2026-06-01T12:00:00.000Z', disclosures: r.body, disclosureLedgerIndex: leaves[4].index, disclosureStatement: null });
    // Sealed at rest: the legal name is nowhere in the table.
    const [row] = await app.sql<{ sealed_entries: Buffer }>('SELECT sealed_entries FROM legal_request_disclosures WHERE request_id = $1', [id]);
    expect(row.sealed_entries.toString('latin1')).not.toContain('Josephine');
    // The member is recorded as concerned, with the names of the fields disclosed: their view once any gag is over.
    expect(await app.sql('SELECT subscriber_id FROM legal_request_subjects WHERE request_id = $1', [id])).toEqual([{ subscriber_id: holder.id }]);
    expect(await app.sql('SELECT position, disclosed FROM legal_request_subject_selectors WHERE request_id = $1', [id])).toEqual([
      { position: 0, disclosed: ['memberNumber', 'legalName', 'verifiedContact'] },
    ]);
  });

  it('a-repeat-answers-the-same-entries-and-records-nothing', async () => {
    const before = await treeSize(app);
    const first = (await show(id)).disclosures;
    const again = await disclose(id);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first);
    expect(await treeSize(app)).toBe(before);
  });

  it('the-answer-pdf-names-the-authority-the-results-and-a-checkpoint-covering-the-entry', async () => {
    const view = await show(id);
    const r = await getPdf(`${V}/legal-requests/${id}/answer.pdf`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/pdf/);
    const text = pdfText(r.body as Buffer).replace(/\s+/g, ' ');
    for (const said of ['Neutrinet ASBL', 'Parquet du procureur du Roi de Bruxelles', 'BR.12.AB.2026/42', LEGAL_BASIS, '192.0.2.10 at 2026-02-01T20:04:05.000Z', 'Josephine Holder', `Member number ${holder.memberNumber}`, '+32470123456', 'No match']) {
      expect(text).toContain(said);
    }
    expect(text).toContain(`Ledger entry: ${view.disclosureLedgerIndex}`);
    const size = Number(/Tree size: (\d+)/.exec(text)?.[1]);
    expect(size).toBeGreaterThan(view.disclosureLedgerIndex);
    const [checkpoint] = await app.sql<{ root_hash: Buffer }>('SELECT root_hash FROM ledger_checkpoints WHERE tree_size = $1 LIMIT 1', [size]);
    expect(text).toContain(checkpoint.root_hash.toString('hex'));
    expect(text).toMatch(/Signature \(Ed25519, base64\) [A-Za-z0-9+/=]{88}/);
    expect(text).toMatch(/Public key \(SPKI, base64\) [A-Za-z0-9+/=]{60}/);
    // The printing is recorded.
    expect((await leavesOf(id)).filter((leaf) => leaf.action === 'legal-request.answer-printed')).toEqual([
      expect.objectContaining({ refs: { requestId: id, disclosureIndex: view.disclosureLedgerIndex } }),
    ]);
  });

  it('impossible-moves-are-a-409-naming-both-states', async () => {
    const again = await propose(id);
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('legal request is answered; it cannot move to under-review');
    const answered = await app.http.post(`${V}/legal-requests/${id}/answer`).set(bearer(alice.token));
    expect(answered.status).toBe(409);
    expect(answered.body.detail).toContain('legal request is answered; it cannot move to answered');
    const closed = await app.http.post(`${V}/legal-requests/${id}/close`).set(bearer(alice.token));
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ id, status: 'closed', closedAt: '2026-06-01T12:00:00.000Z' });
    const twice = await app.http.post(`${V}/legal-requests/${id}/close`).set(bearer(alice.token));
    expect(twice.status).toBe(409);
    expect(twice.body.detail).toContain('legal request is closed; it cannot move to closed');
    const fresh = await receive();
    const early = await app.http.post(`${V}/legal-requests/${fresh}/close`).set(bearer(alice.token));
    expect(early.body).toMatchObject({ status: 409, detail: expect.stringContaining('legal request is received; it cannot move to closed') });
    expect((await propose(fresh)).status).toBe(201);
    const open = await propose(fresh);
    expect(open.status).toBe(409);
    expect(open.body.detail).toContain('legal request is under-review; it cannot move to under-review');
  });

  it('after-the-history-is-purged-the-same-selector-is-no-match', async () => {
    app.clock.set('2027-04-01T12:00:00Z');
    const run = await app.http.post(`${V}/admin/retention/run`).set(bearer(app.adminToken)).expect(200);
    expect(run.body.purged['ip-history']).toBe(1);
    const later = await decided(request({ selectors: [{ address: '192.0.2.10', at: '2026-02-01T20:04:05Z' }] }));
    const r = await disclose(later);
    expect(r.status).toBe(201);
    expect(r.body).toEqual([{ selector: { address: '192.0.2.10', at: '2026-02-01T20:04:05.000Z' }, result: 'no-match' }]);
    app.clock.set('2026-06-01T12:00:00Z');
  });
});

describe('refusals', () => {
  it('technicians-members-and-admins-are-refused-every-new-route', async () => {
    const id = await receive();
    for (const token of [technician, member, app.adminToken]) {
      await expectForbidden(app, token, TABLES, 'post', `${V}/legal-requests/${id}/decision-proposal`, { decision: 'comply', rationale: 'r' });
      await expectForbidden(app, token, TABLES, 'post', `${V}/legal-requests/${id}/disclosures`, undefined);
      await expectForbidden(app, token, TABLES, 'post', `${V}/legal-requests/${id}/answer`, undefined);
      await expectForbidden(app, token, TABLES, 'post', `${V}/legal-requests/${id}/close`, undefined);
      await expectForbidden(app, token, TABLES, 'get', `${V}/legal-requests/${id}/answer.pdf`, undefined);
    }
  });

  it('a-ccj-account-outside-the-circle-and-an-expired-accreditation-are-refused-and-nothing-is-written', async () => {
    const id = await decided(request({ selectors: [{ address: '192.0.2.10', at: '2026-02-01T20:04:05Z' }] }));
    const fresh = await receive();
    for (const who of [outsider, lapsed]) {
      await expectForbidden(app, who.token, TABLES, 'post', `${V}/legal-requests/${fresh}/decision-proposal`, { decision: 'comply', rationale: 'r' });
      await expectForbidden(app, who.token, TABLES, 'post', `${V}/legal-requests/${id}/disclosures`, undefined);
      await expectForbidden(app, who.token, TABLES, 'post', `${V}/legal-requests/${id}/answer`, undefined);
    }
    const refused = await disclose(id, lapsed);
    expect(refused.body).toMatchObject({ expiredOn: '2026-05-31', detail: expect.stringContaining('2026-05-31') });
    expect((await show(id)).status).toBe('decided');
  });

  it('no-decision-is-a-409-and-discloses-nothing', async () => {
    const id = await receive();
    const before = await treeSize(app);
    const r = await disclose(id);
    expect(r.status).toBe(409);
    expect(r.body.detail).toContain('no adopted comply decision');
    expect(r.body.detail).toContain('received');
    expect(await treeSize(app)).toBe(before);
  });

  it('an-adopted-refusal-is-answered-and-closed-never-disclosed', async () => {
    const id = await decided(request(), 'refuse');
    const r = await disclose(id);
    expect(r.status).toBe(409);
    expect(r.body.detail).toContain('decided with the decision refuse');
    expect((await getPdf(`${V}/legal-requests/${id}/answer.pdf`)).status).toBe(409);
    const answered = await app.http.post(`${V}/legal-requests/${id}/answer`).set(bearer(bob.token));
    expect(answered.status).toBe(200);
    expect(answered.body).toMatchObject({ status: 'answered', decision: 'refuse' });
    expect((await app.http.post(`${V}/legal-requests/${id}/close`).set(bearer(bob.token))).body.status).toBe('closed');
  });

  it('a-comply-decision-is-answered-by-its-disclosure-not-by-the-answer-route', async () => {
    const id = await decided(request());
    const r = await app.http.post(`${V}/legal-requests/${id}/answer`).set(bearer(alice.token));
    expect(r.status).toBe(409);
    expect(r.body.detail).toContain('disclosure');
    expect((await show(id)).status).toBe('decided');
  });

  it('an-interception-is-never-executed-whatever-is-decided', async () => {
    const id = await receive(request({ kind: 'interception' }));
    const statement = 'Lanterne has no interception capability';
    const early = await disclose(id);
    expect(early.status).toBe(409);
    expect(early.body.detail).toContain(statement);
    expect(early.body.detail).toContain('never executed');
    const comply = await propose(id, { decision: 'comply' });
    expect(comply.status).toBe(409);
    expect(comply.body.detail).toContain(statement);
    const refused = await propose(id, { decision: 'refuse' });
    expect(refused.status).toBe(201);
    await take(refused.body.id, alice, 'consent');
    await take(refused.body.id, bob, 'consent');
    await closeProposal(refused.body.id);
    const after = await disclose(id);
    expect(after.status).toBe(409);
    expect(after.body.detail).toContain(statement);
  });

  it('a-traffic-data-request-answers-no-data-for-each-selector-with-the-statement', async () => {
    const id = await decided(request({ kind: 'traffic-data', legalBasis: "Code d'instruction criminelle, art. 88bis" }));
    const before = await treeSize(app);
    const r = await disclose(id);
    expect(r.status).toBe(201);
    expect(r.body).toEqual([
      { selector: { address: '192.0.2.10', at: '2026-02-01T20:04:05.000Z' }, result: 'no-data' },
      { selector: { address: '192.0.2.10', at: '2026-04-01T08:00:00.000Z' }, result: 'no-data' },
    ]);
    // Nothing read: no IP history, no identity.
    expect((await storedLeaves(app)).slice(before).map((leaf) => leaf.action)).toEqual(['legal-request.disclosed', 'legal-request.status-changed']);
    const view = await show(id);
    expect(view.disclosureStatement).toContain('No traffic data is held');
    const text = pdfText((await getPdf(`${V}/legal-requests/${id}/answer.pdf`)).body as Buffer).replace(/\s+/g, ' ');
    expect(text).toContain('No traffic data is held');
  });

  it('concurrent-disclosures-and-a-close-of-one-request-give-one-result', async () => {
    const id = await decided(request());
    const before = await treeSize(app);
    const [a, b, close] = await Promise.all([disclose(id, alice), disclose(id, bob), app.http.post(`${V}/legal-requests/${id}/close`).set(bearer(alice.token))]);
    expect([a.status, b.status].sort()).toEqual([200, 201]);
    expect(a.body).toEqual(b.body);
    const disclosed = (await storedLeaves(app)).slice(before).filter((leaf) => leaf.action === 'legal-request.disclosed');
    expect(disclosed).toHaveLength(1);
    expect(await app.sql('SELECT 1 FROM legal_request_disclosures WHERE request_id = $1', [id])).toHaveLength(1);
    // The close either came after the disclosure or found the request still decided.
    expect((await show(id)).status).toBe(close.status === 200 ? 'closed' : 'answered');
    if (close.status !== 200) expect(close.body.detail).toContain('legal request is decided; it cannot move to closed');
  });

  it('the-answer-pdf-before-any-disclosure-is-a-409', async () => {
    const id = await receive();
    const r = await getPdf(`${V}/legal-requests/${id}/answer.pdf`);
    expect(r.status).toBe(409);
    expect((await getPdf(`${V}/legal-requests/${NIL}/answer.pdf`)).status).toBe(404);
  });
});

describe('bad input', () => {
  let id: string;
  beforeAll(async () => {
    id = await receive();
  });

  it.each([
    ['decision', { decision: 'obey' }],
    ['rationale', { rationale: '   ' }],
    ['rationale', { rationale: 'x'.repeat(5001) }],
    ['quorum', { quorum: 0 }],
    ['quorum', { quorum: 1.5 }],
    ['closesAt', { closesAt: '2026-06-02T10:00:00' }],
    ['blind', { blind: 'yes' }],
    ['', { circle: 'board' }],
  ])('a decision proposal with %s invalid is a 400 and writes nothing', async (field, overrides) => {
    await expectBadInput(app, alice.token, TABLES, 'post', `${V}/legal-requests/${id}/decision-proposal`, { decision: 'comply', rationale: 'r', ...overrides }, field);
  });

  it('a-closes-at-in-the-past-is-a-422-naming-it', async () => {
    const r = await propose(id, { closesAt: '2026-05-01T00:00:00Z' });
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([{ path: 'closesAt', message: 'must be in the future' }]);
    expect((await show(id)).status).toBe('received');
  });

  it('an-id-that-is-not-a-uuid-is-a-400-and-an-unknown-one-a-404-on-every-route', async () => {
    for (const [method, path, body] of [
      ['post', 'decision-proposal', { decision: 'comply', rationale: 'r' }],
      ['post', 'disclosures', undefined],
      ['post', 'answer', undefined],
      ['post', 'close', undefined],
      ['get', 'answer.pdf', undefined],
    ] as const) {
      await expectBadInput(app, alice.token, TABLES, method, `${V}/legal-requests/not-a-uuid/${path}`, body, 'id');
      const r = await (method === 'get' ? app.http.get(`${V}/legal-requests/${NIL}/${path}`) : app.http.post(`${V}/legal-requests/${NIL}/${path}`).send(body ?? {})).set(bearer(alice.token));
      expect(r.status).toBe(404);
    }
  });
});
