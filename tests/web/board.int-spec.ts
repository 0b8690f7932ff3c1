import { storedLeaves } from '../support/ledger';
import { HTML, signInWith, WebSession } from '../support/web-session';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { memberToken, outboxDir } from '../support/verification';
import { makeSubscriber } from '../factories/subscriber.factory';

const V = '/api/v1';
const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

interface Person {
  id: string;
  token: string;
}

let app: TestApp;
let alice: Person;
let bob: Person;
let outsider: Person;
let technician: string;
let member: string;
let board: WebSession;

async function person(name: string, ...roles: string[]): Promise<Person> {
  const created = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name, roles }).expect(201);
  return { id: created.body.id, token: created.body.token };
}

const joinCcj = (who: Person) =>
  app.http
    .post(`${V}/circles/ccj/members`)
    .set(bearer(app.adminToken))
    .send({ accountId: who.id, accreditation: { grantedOn: '2026-01-15', expiresOn: '2030-12-31', authority: 'Assemblée générale' } })
    .expect(201);

async function receive(overrides: Record<string, unknown> = {}): Promise<string> {
  const body = {
    authority: 'Parquet de Bruxelles',
    reference: 'BR.1',
    legalBasis: "Code d'instruction criminelle, art. 46bis",
    kind: 'identification',
    receivedAt: '2026-05-30T09:15:00+02:00',
    selectors: [{ address: '192.0.2.10', at: '2026-02-01T21:04:05+01:00' }],
    ...overrides,
  };
  return (await app.http.post(`${V}/legal-requests`).set(bearer(alice.token)).send(body).expect(201)).body.id;
}

const positionsCount = async (proposalId: string) => (await app.sql<{ n: number }>('SELECT count(*)::int AS n FROM proposal_positions WHERE proposal_id = $1', [proposalId]))[0].n;
const proposalOf = async (requestId: string) => (await app.http.get(`${V}/legal-requests/${requestId}`).set(bearer(alice.token)).expect(200)).body.decisionProposal.id as string;

beforeAll(async () => {
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${outboxDir()}` });
  app.clock.set('2026-06-01T12:00:00Z');
  [alice, bob, outsider] = [await person('Alice', 'ccj'), await person('Bob', 'ccj'), await person('Olga', 'ccj')];
  await joinCcj(alice);
  await joinCcj(bob);
  technician = await app.tokenFor('technician');
  member = await memberToken(app, (await makeSubscriber(app, technician, { displayName: 'Jo' })).id);
  board = await signInWith(app, alice.token);
}, 60_000);
afterAll(() => app.close());

it('the-board-lists-the-requests-awaiting-the-circle-nearest-deadline-first-with-the-overdue-marked', async () => {
  const later = await receive({ reference: 'LATER.1', dueAt: '2026-06-20T00:00:00Z' });
  const overdue = await receive({ reference: 'OVERDUE.1', dueAt: '2026-05-31T00:00:00Z' });
  const soon = await receive({ reference: 'SOON.1', dueAt: '2026-06-02T00:00:00Z' });
  const undated = await receive({ reference: 'UNDATED.1' });

  const page = await board.get('/board');
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  const order = ['OVERDUE.1', 'SOON.1', 'LATER.1', 'UNDATED.1'].map((reference) => page.text.indexOf(`>${reference}</a>`));
  expect(order.every((at) => at > 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  const rowOf = (id: string) => new RegExp(`<tr[^>]*>(?:(?!</tr>)[\\s\\S])*href="/board/requests/${id}"[\\s\\S]*?</tr>`).exec(page.text)?.[0] as string;
  expect(rowOf(overdue)).toContain('class="overdue"');
  expect(rowOf(overdue)).toContain('Overdue');
  expect(rowOf(soon)).toContain('Due soon');
  expect(rowOf(later)).not.toMatch(/Overdue|Due soon/);
  expect(rowOf(undated)).toContain('No deadline');
  expect(rowOf(later)).toContain('<time datetime="2026-06-20T00:00:00.000Z">2026-06-20 00:00 UTC</time>');
  expect(page.text).not.toMatch(/<script|style=/);
});

it('a-request-page-shows-the-request-its-selectors-and-its-documents-and-a-document-is-read-under-the-ledger', async () => {
  const id = await receive({
    reference: 'DOCS.1',
    dueAt: '2026-06-15T10:00:00+02:00',
    selectors: [
      { address: '192.0.2.10', at: '2026-02-01T21:04:05+01:00' },
      { address: '2001:db8::1', at: '2026-03-01T08:00:00Z' },
    ],
  });
  const attached = await app.http.post(`${V}/legal-requests/${id}/documents`).set(bearer(alice.token)).send({ filename: 'ordonnance.pdf', contentBase64: PDF_BYTES.toString('base64') }).expect(201);

  const page = await board.get(`/board/requests/${id}`);
  expect(page.status).toBe(200);
  for (const text of ['Legal request DOCS.1', 'Parquet de Bruxelles', "Code d'instruction criminelle, art. 46bis", 'Identification', 'Received', '2026-06-15 08:00 UTC']) {
    expect(page.text).toContain(text.replace("'", '&#x27;'));
  }
  expect(page.text).toContain('<code>192.0.2.10</code></td><td><time datetime="2026-02-01T20:04:05.000Z">2026-02-01 20:04 UTC</time>');
  expect(page.text).toContain('<code>2001:db8::1</code>');
  const href = `/board/requests/${id}/documents/${attached.body.id}`;
  expect(page.text).toContain(`<a href="${href}">ordonnance.pdf</a>`);
  expect(page.text).toContain('No decision has been proposed yet.');
  expect(page.text).toContain('action="/board/requests/' + id + '/proposal"');

  const before = (await storedLeaves(app)).length;
  const document = await board.download(href);
  expect(document.status).toBe(200);
  expect(document.headers['content-type']).toBe('application/pdf');
  expect(document.body.equals(PDF_BYTES)).toBe(true);
  const leaves = (await storedLeaves(app)).slice(before);
  expect(leaves.map((leaf) => leaf.action)).toEqual(['legal-request.document-read']);
  expect(leaves[0].refs).toEqual({ requestId: id, documentId: attached.body.id });
  expect(leaves[0].actor).toMatchObject({ id: alice.id, role: 'ccj' });

  expect((await board.get(`/board/requests/${id}/documents/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
  expect((await board.get('/board/requests/not-an-id')).status).toBe(400);
});

it('blind-positions-stay-hidden-until-the-viewer-takes-theirs-and-a-concern-needs-its-reason', async () => {
  const id = await receive({ reference: 'BLIND.1' });
  await board.get(`/board/requests/${id}`);
  const opened = await board.post(`/board/requests/${id}/proposal`, { decision: 'comply', rationale: 'The order is reasoned.', blind: 'on', closesAt: '' });
  expect(opened.status).toBe(303);
  expect(opened.headers.location).toBe(`/board/requests/${id}`);
  const proposalId = await proposalOf(id);
  await app.http.post(`${V}/proposals/${proposalId}/positions`).set(bearer(bob.token)).send({ position: 'consent' }).expect(200);

  const hidden = await board.get(`/board/requests/${id}`);
  expect(hidden.text).toContain('The positions are hidden until you take your position.');
  expect(hidden.text).toContain('Under review');
  expect(hidden.text).toContain('The order is reasoned.');
  expect(hidden.text).not.toMatch(/<th scope="row">Bob/);
  // Who has not yet taken a position is shown; what the others took is not.
  expect(/<ul class="board-undecided">([\s\S]*?)<\/ul>/.exec(hidden.text)?.[1]).toBe('<li>Alice</li>');

  const refused = await board.post(`/board/requests/${id}/proposal/${proposalId}/position`, { position: 'concern', reason: '  ' });
  expect(refused.status).toBe(422);
  expect(refused.text).toContain('reason: required for concern and block');
  expect(refused.text).toContain('id="position-concern" value="concern" checked');
  expect(await positionsCount(proposalId)).toBe(1);

  const taken = await board.post(`/board/requests/${id}/proposal/${proposalId}/position`, { position: 'concern', reason: 'The instant is ambiguous.' });
  expect(taken.status).toBe(303);
  const shown = await board.get(`/board/requests/${id}`);
  expect(shown.text).not.toContain('hidden until you take your position');
  expect(shown.text).toMatch(/<th scope="row">Bob<\/th>\s*<td>Consent<\/td>/);
  expect(shown.text).toMatch(/<th scope="row">Alice \(you\)<\/th>\s*<td>Concern<\/td>\s*<td>The instant is ambiguous\./);
  expect(shown.text).toContain('Change your position');

  // A consent needs no reason; the concern stays as history.
  expect((await board.post(`/board/requests/${id}/proposal/${proposalId}/position`, { position: 'consent', reason: '' })).status).toBe(303);
  const changed = await board.get(`/board/requests/${id}`);
  expect(changed.text).toMatch(/<th scope="row">Alice \(you\)<\/th>\s*<td>Consent<\/td>/);
  expect(changed.text).toContain('Earlier positions');
  expect((await storedLeaves(app)).filter((leaf) => leaf.action === 'proposal.position-taken' && leaf.refs.proposalId === proposalId)).toHaveLength(3);
});

it('a-form-posted-without-its-token-is-refused-and-changes-nothing', async () => {
  const id = await receive({ reference: 'CSRF.1' });
  await board.get(`/board/requests/${id}`);
  const forged = await board.postRaw(`/board/requests/${id}/proposal`, { decision: 'comply', rationale: 'x' });
  expect(forged.status).toBe(403);
  expect(forged.text).toContain('did not come from Lanterne');
  expect(forged.headers['content-type']).toContain('text/html');
  const crossed = await board.post(`/board/requests/${id}/proposal`, { _csrf: 'not-a-token', decision: 'comply', rationale: 'x' });
  expect(crossed.status).toBe(403);
  expect((await app.sql('SELECT status FROM legal_requests WHERE id = $1', [id]))[0]).toEqual({ status: 'received' });
  expect(await app.sql('SELECT 1 FROM legal_request_decisions WHERE request_id = $1', [id])).toEqual([]);
});

it('a-form-with-a-field-it-does-not-know-or-a-nul-in-its-text-is-a-400-page-and-changes-nothing', async () => {
  const id = await receive({ reference: 'BAD.1' });
  await board.get(`/board/requests/${id}`);
  const nul = await board.post(`/board/requests/${id}/proposal`, { decision: 'comply', rationale: 'a\u0000b' });
  expect(nul.status).toBe(400);
  expect(nul.text).toContain('rationale');
  expect((await board.post(`/board/requests/${id}/proposal`, { decision: 'comply', rationale: 'ok', quorum: '1' })).status).toBe(400);
  // Not a decision: refused by the API's schema, on the form.
  const unknown = await board.post(`/board/requests/${id}/proposal`, { decision: 'ignore', rationale: 'ok' });
  expect(unknown.status).toBe(422);
  expect(unknown.text).toMatch(/<li>decision: [^<]+<\/li>/);
  expect(await app.sql('SELECT 1 FROM legal_request_decisions WHERE request_id = $1', [id])).toEqual([]);
});

it('technicians-and-members-see-a-403-page-outsiders-of-the-circle-the-services-403-and-a-signed-out-visitor-is-sent-to-sign-in', async () => {
  const id = await receive({ reference: 'ACCESS.1' });
  for (const token of [technician, member]) {
    const visitor = await signInWith(app, token);
    for (const path of ['/board', `/board/requests/${id}`]) {
      const page = await visitor.get(path);
      expect(page.status).toBe(403);
      expect(page.text).toContain('This page is for: ccj.');
    }
  }
  const out = await app.http.get(`/board/requests/${id}`).set(HTML);
  expect(out.status).toBe(303);
  expect(out.headers.location).toBe(`/sign-in?next=${encodeURIComponent(`/board/requests/${id}`)}`);

  // A ccj account outside the circle cannot open a proposal, nor read one.
  const olga = await signInWith(app, outsider.token);
  await olga.get(`/board/requests/${id}`);
  const refused = await olga.post(`/board/requests/${id}/proposal`, { decision: 'refuse', rationale: 'No.' });
  expect(refused.status).toBe(403);
  expect(refused.text).toContain('Only members of the ccj circle may do this.');
  await board.get(`/board/requests/${id}`);
  expect((await board.post(`/board/requests/${id}/proposal`, { decision: 'refuse', rationale: 'Not reasoned.' })).status).toBe(303);
  expect((await olga.get(`/board/requests/${id}`)).status).toBe(403);
});

it('a-contested-request-is-decided-marked-answered-and-closed-from-its-page', async () => {
  const id = await receive({ reference: 'CONTEST.1', kind: 'interception' });
  await board.get(`/board/requests/${id}`);
  // Refused by the service: shown on the form with what was typed.
  const early = await board.post(`/board/requests/${id}/proposal`, { decision: 'contest', rationale: 'No capture exists.', closesAt: '2026-05-01T10:00' });
  expect(early.status).toBe(422);
  expect(early.text).toContain('closesAt 2026-05-01T10:00:00.000Z is not in the future.');
  expect(early.text).toContain('No capture exists.</textarea>');
  const comply = await board.post(`/board/requests/${id}/proposal`, { decision: 'comply', rationale: 'x' });
  expect(comply.status).toBe(409);

  expect((await board.post(`/board/requests/${id}/proposal`, { decision: 'contest', rationale: 'No capture exists.', closesAt: '2026-06-08T10:00' })).status).toBe(303);
  const proposalId = await proposalOf(id);
  const open = await board.get(`/board/requests/${id}`);
  expect(open.text).toContain('2026-06-08 10:00 UTC');
  await board.post(`/board/requests/${id}/proposal/${proposalId}/position`, { position: 'consent' });
  await app.http.post(`${V}/proposals/${proposalId}/positions`).set(bearer(bob.token)).send({ position: 'consent' }).expect(200);
  await board.get(`/board/requests/${id}`);
  expect((await board.post(`/board/requests/${id}/proposal/${proposalId}/close`)).status).toBe(303);

  const decided = await board.get(`/board/requests/${id}`);
  expect(decided.text).toContain('Decided (Contest)');
  expect(decided.text).toContain('Adopted');
  expect(decided.text).toContain('2 consent, 0 concern, 0 stand aside, 0 block');
  expect(decided.text).not.toContain(`/board/requests/${id}/disclose`);
  expect((await board.post(`/board/requests/${id}/answered`)).status).toBe(303);
  const answered = await board.get(`/board/requests/${id}`);
  expect(answered.text).toContain('Answered (Contest)');
  expect((await board.post(`/board/requests/${id}/close`)).status).toBe(303);
  expect((await board.get(`/board/requests/${id}`)).text).toContain('Closed (Contest)');
  expect((await board.get('/board')).text).not.toContain('CONTEST.1');
  // A disclosure needs an adopted comply decision: the service's 409, as a page.
  const disclose = await board.post(`/board/requests/${id}/disclose`);
  expect(disclose.status).toBe(409);
});

it('the-board-reads-in-french', async () => {
  const french = await signInWith(app, alice.token, 'fr');
  const page = await french.get('/board');
  expect(page.text).toContain('<html lang="fr">');
  expect(page.text).toContain('Réquisitions judiciaires');
});
