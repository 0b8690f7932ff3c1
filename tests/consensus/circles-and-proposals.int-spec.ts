import { CirclesService } from '../../src/consensus/circles.service';
import { ConsensusService } from '../../src/consensus/consensus.service';
import { storedLeaves } from '../support/ledger';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const V = '/api/v1';

let app: TestApp;
let circles: CirclesService;
let consensus: ConsensusService;

interface Person {
  id: string;
  token: string;
}

async function person(app: TestApp, ...roles: string[]): Promise<Person> {
  const created = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name: `someone ${roles.join('+')}`, roles }).expect(201);
  return { id: created.body.id, token: created.body.token };
}

const accreditation = (expiresOn = '2027-12-31') => ({ grantedOn: '2026-01-15', expiresOn, authority: 'Assemblée générale du 15 janvier 2026' });
const join = (circle: string, who: Person, body: Record<string, unknown> = {}) =>
  app.http.post(`${V}/circles/${circle}/members`).set(bearer(app.adminToken)).send({ accountId: who.id, ...body });
const open = (who: Person, body: Record<string, unknown>) => app.http.post(`${V}/proposals`).set(bearer(who.token)).send({ title: 'Renouveler le canari', body: 'Texte.', ...body });
const take = (who: Person, id: string, position: string, reason?: string) => app.http.post(`${V}/proposals/${id}/positions`).set(bearer(who.token)).send({ position, reason });
const view = async (who: Person, id: string) => (await app.http.get(`${V}/proposals/${id}`).set(bearer(who.token)).expect(200)).body;

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set('2026-06-01T10:00:00Z');
  circles = app.lanterne.app.get(CirclesService);
  consensus = app.lanterne.app.get(ConsensusService);
});
afterAll(() => app.close());

describe('circles', () => {
  it('a-ccj-member-joins-with-an-accreditation-and-leaves-both-ledgered', async () => {
    const alice = await person(app, 'ccj');
    const added = await join('ccj', alice, { accreditation: accreditation() });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ accountId: alice.id, accreditation: { grantedOn: '2026-01-15', expiresOn: '2027-12-31', expired: false } });
    expect((await join('ccj', alice, { accreditation: accreditation() })).status).toBe(409);
    const listed = await app.http.get(`${V}/circles/ccj/members`).set(bearer(alice.token)).expect(200);
    expect(listed.body.items.map((m: { accountId: string }) => m.accountId)).toContain(alice.id);

    await app.http.delete(`${V}/circles/ccj/members/${alice.id}`).set(bearer(app.adminToken)).expect(204);
    expect((await app.http.get(`${V}/circles/ccj/members`).set(bearer(app.adminToken))).body.items.map((m: { accountId: string }) => m.accountId)).not.toContain(alice.id);
    expect((await app.http.delete(`${V}/circles/ccj/members/${alice.id}`).set(bearer(app.adminToken))).status).toBe(404);

    const leaves = (await storedLeaves(app)).filter((leaf) => leaf.action.startsWith('circle.'));
    expect(leaves.map((leaf) => [leaf.action, leaf.refs.accountId])).toEqual([
      ['circle.member-added', alice.id],
      ['circle.member-left', alice.id],
    ]);
    expect(leaves[0].refs).toMatchObject({ circle: 'ccj', accreditationExpiresOn: '2027-12-31', accreditationAuthority: expect.stringContaining('Assemblée') });
    // Joined again later: the earlier membership stays as history.
    expect((await join('ccj', alice, { accreditation: accreditation() })).status).toBe(201);
    expect(await app.sql('SELECT left_at FROM circle_memberships WHERE account_id = $1 ORDER BY joined_at, left_at NULLS LAST', [alice.id])).toHaveLength(2);
  });

  it('refuses-the-ccj-without-the-role-or-the-accreditation-and-the-board-with-one', async () => {
    const tech = await person(app, 'technician');
    expect((await join('ccj', tech, { accreditation: accreditation() })).status).toBe(422);
    const ccj = await person(app, 'ccj');
    const missing = await join('ccj', ccj);
    expect(missing.status).toBe(422);
    expect(missing.body.errors).toEqual([{ path: 'accreditation', message: 'required in the ccj circle' }]);
    expect((await join('ccj', ccj, { accreditation: { ...accreditation(), expiresOn: '2026-01-01' } })).status).toBe(422);
    expect((await join('board', tech, { accreditation: accreditation() })).status).toBe(422);
    const subscriber = await app.http.post(`${V}/subscribers`).set(bearer(tech.token)).send({ displayName: 'A member', email: 'm@example.org', language: 'fr' }).expect(201);
    const selfService = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name: 'member', roles: ['member'], subscriberId: subscriber.body.id }).expect(201);
    expect((await join('board', { id: selfService.body.id, token: '' })).status).toBe(422);
    expect((await join('assembly', tech)).status).toBe(404);
    expect((await join('board', { id: '00000000-0000-4000-8000-000000000000', token: '' })).status).toBe(404);
    expect((await app.http.post(`${V}/circles/board/members`).set(bearer(ccj.token)).send({ accountId: tech.id })).status).toBe(403);
    expect(await app.sql('SELECT 1 FROM circle_memberships WHERE account_id IN ($1, $2)', [tech.id, ccj.id])).toEqual([]);
  });
});

describe('a ccj proposal', () => {
  it('an-expired-accreditation-loses-the-right-to-take-a-position-or-execute', async () => {
    const current = await person(app, 'ccj');
    const lapsed = await person(app, 'ccj');
    await join('ccj', current, { accreditation: accreditation('2027-12-31') }).expect(201);
    await join('ccj', lapsed, { accreditation: accreditation('2026-05-31') }).expect(201);
    const id = (await open(current, { circle: 'ccj' })).body.id as string;

    const refused = await take(lapsed, id, 'consent');
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toContain('2026-05-31');
    expect(refused.body.expiredOn).toBe('2026-05-31');
    expect((await open(lapsed, { circle: 'ccj' })).status).toBe(403);
    await expect(circles.assertMayExecute({ id: lapsed.id, name: 'x', roles: ['ccj'], role: 'ccj', subscriberId: null }, app.clock.now())).rejects.toMatchObject({
      code: 'accreditation-expired',
    });
    await expect(circles.assertMayExecute({ id: current.id, name: 'x', roles: ['ccj'], role: 'ccj', subscriberId: null }, app.clock.now())).resolves.toBeUndefined();
    const listed = (await app.http.get(`${V}/circles/ccj/members`).set(bearer(app.adminToken))).body.items;
    expect(listed.find((m: { accountId: string }) => m.accountId === lapsed.id).accreditation.expired).toBe(true);
    expect(await app.sql('SELECT 1 FROM proposal_positions WHERE proposal_id = $1', [id])).toEqual([]);

    // Renewed: the right comes back, and the lapsed accreditation stays as history.
    const renewed = await app.http
      .put(`${V}/circles/ccj/members/${lapsed.id}/accreditation`)
      .set(bearer(app.adminToken))
      .send({ grantedOn: '2026-06-01', expiresOn: '2028-05-31', authority: 'Conseil du 1er juin 2026' });
    expect(renewed.status).toBe(200);
    expect(renewed.body.accreditation).toEqual({ grantedOn: '2026-06-01', expiresOn: '2028-05-31', authority: 'Conseil du 1er juin 2026', expired: false });
    await take(lapsed, id, 'consent').expect(200);
    const held = await app.sql<{ expires: string }>(
      `SELECT to_char(accreditation_expires_on, 'YYYY-MM-DD') AS expires FROM circle_memberships WHERE account_id = $1 ORDER BY left_at NULLS LAST`,
      [lapsed.id],
    );
    expect(held.map((row) => row.expires)).toEqual(['2026-05-31', '2028-05-31']);
    const [entry] = (await storedLeaves(app)).filter((leaf) => leaf.action === 'circle.accreditation-renewed');
    expect(entry.refs).toMatchObject({ accountId: lapsed.id, previousExpiresOn: '2026-05-31', accreditationExpiresOn: '2028-05-31' });
    const renew = (circle: string, who: string, body: Record<string, unknown>) => app.http.put(`${V}/circles/${circle}/members/${who}/accreditation`).set(bearer(app.adminToken)).send(body);
    const valid = { grantedOn: '2026-06-01', expiresOn: '2028-05-31', authority: 'Conseil' };
    expect((await renew('board', lapsed.id, valid)).status).toBe(404);
    expect((await renew('ccj', '00000000-0000-4000-8000-000000000000', valid)).status).toBe(404);
    expect((await renew('ccj', lapsed.id, { ...valid, expiresOn: '2026-01-01' })).status).toBe(422);
  });
});

// After the ccj block: the first adopted board proposal ends the bootstrap, and with it the admin's direct grants of ccj.
describe('a board proposal', () => {
  let a: Person, b: Person, c: Person, outsider: Person;
  beforeAll(async () => {
    [a, b, c, outsider] = [await person(app, 'technician'), await person(app, 'technician'), await person(app, 'admin'), await person(app, 'technician')];
    for (const who of [a, b, c]) await join('board', who).expect(201);
  });

  it('keeps-one-current-position-each-with-history-lists-the-undecided-and-adopts', async () => {
    const opened = await open(a, { circle: 'board' });
    expect(opened.status).toBe(201);
    expect(opened.body).toEqual({ id: expect.any(String), status: 'open' });
    const id = opened.body.id as string;
    expect((await view(a, id)).undecided.map((m: { accountId: string }) => m.accountId).sort()).toEqual([a.id, b.id, c.id].sort());

    expect((await take(a, id, 'block')).status).toBe(400);
    expect((await take(a, id, 'block', 'Pas avant la prochaine AG')).status).toBe(200);
    app.clock.advance(60_000);
    await take(a, id, 'consent').expect(200);
    await take(b, id, 'concern', 'Le texte est long').expect(200);
    expect((await take(outsider, id, 'consent')).status).toBe(403);

    const seen = await view(a, id);
    const mine = seen.positions.find((p: { accountId: string }) => p.accountId === a.id);
    expect(mine).toMatchObject({ position: 'consent', reason: null, history: [{ position: 'block', reason: 'Pas avant la prochaine AG' }] });
    expect(seen.undecided).toEqual([{ accountId: c.id, name: expect.any(String) }]);

    await take(c, id, 'consent').expect(200);
    const closed = await app.http.post(`${V}/proposals/${id}/close`).set(bearer(b.token)).expect(200);
    expect(closed.body).toEqual({ status: 'adopted', tally: { consent: 2, concern: 1, standAside: 0, block: 0 } });
    expect((await take(a, id, 'block', 'trop tard')).status).toBe(409);
    expect(await consensus.outcome(id)).toMatchObject({ status: 'adopted', binding: null });

    const events = (await storedLeaves(app)).filter((leaf) => leaf.refs.proposalId === id).map((leaf) => [leaf.action, leaf.refs.position ?? leaf.refs.status ?? null]);
    expect(events).toEqual([
      ['proposal.opened', null],
      ['proposal.position-taken', 'block'],
      ['proposal.position-taken', 'consent'],
      ['proposal.position-taken', 'concern'],
      ['proposal.position-taken', 'consent'],
      ['proposal.closed', 'adopted'],
      ['governance.bootstrap-ended', null],
    ]);
  });

  it('rejects-under-a-standing-block-and-concurrent-closes-give-one-result', async () => {
    const id = (await open(a, { circle: 'board', quorum: 1 })).body.id as string;
    await take(a, id, 'consent').expect(200);
    await take(b, id, 'block', 'Contraire aux statuts').expect(200);
    const closes = await Promise.all([a, b, c].map((who) => app.http.post(`${V}/proposals/${id}/close`).set(bearer(who.token))));
    expect(closes.map((r) => r.status)).toEqual([200, 200, 200]);
    for (const r of closes) expect(r.body).toEqual({ status: 'rejected', tally: { consent: 1, concern: 0, standAside: 0, block: 1 } });
    expect((await storedLeaves(app)).filter((leaf) => leaf.action === 'proposal.closed' && leaf.refs.proposalId === id)).toHaveLength(1);
    expect((await app.http.post(`${V}/proposals/${id}/close`).set(bearer(outsider.token))).status).toBe(403);
  });

  it('only-members-open-close-and-read', async () => {
    expect((await open(outsider, { circle: 'board' })).status).toBe(403);
    const id = (await open(a, { circle: 'board' })).body.id as string;
    expect((await app.http.get(`${V}/proposals/${id}`).set(bearer(outsider.token))).status).toBe(403);
    expect((await app.http.post(`${V}/proposals/${id}/close`).set(bearer(outsider.token))).status).toBe(403);
    expect((await app.http.get(`${V}/proposals/${id}`).set(bearer(app.adminToken))).status).toBe(200);
    expect((await app.http.get(`${V}/proposals/00000000-0000-4000-8000-000000000000`).set(bearer(a.token))).status).toBe(404);
  });

  it('blind-hides-the-others-positions-until-one-takes-theirs-or-it-closes', async () => {
    const id = (await open(a, { circle: 'board', blind: true })).body.id as string;
    await take(a, id, 'consent').expect(200);
    const unseen = await view(b, id);
    expect(unseen).toMatchObject({ positionsHidden: true, positions: [] });
    // Who has not decided yet is still visible: it says nothing of what the others chose.
    expect(unseen.undecided.map((m: { accountId: string }) => m.accountId).sort()).toEqual([b.id, c.id].sort());
    const afterTaking = (await take(b, id, 'stand-aside').expect(200)).body;
    expect(afterTaking).toMatchObject({ positionsHidden: false });
    expect(afterTaking.positions).toHaveLength(2);
    expect((await view(c, id)).positionsHidden).toBe(true);
    await app.http.post(`${V}/proposals/${id}/close`).set(bearer(a.token)).expect(200);
    expect((await view(c, id)).positions).toHaveLength(2);
  });
});
