import { makeSubscriber } from '../factories/subscriber.factory';
import { storedLeaves } from '../support/ledger';
import { countRows, expectBadInput, expectForbidden } from '../support/refusals';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { memberToken } from '../support/verification';

/** A member asks to correct their record; a technician applies or refuses it; the typed values stay sealed. */

const V = '/api/v1';
const TABLES = ['rectifications', 'ledger_leaves'];

let app: TestApp;
let tech: string;
let subscriberId: string;
let member: string;

beforeAll(async () => {
  app = await createTestApp();
  tech = await app.tokenFor('technician');
  subscriberId = (await makeSubscriber(app, tech, { displayName: 'Bob Typo', email: 'bob@example.org' })).id;
  member = await memberToken(app, subscriberId);
});
afterAll(() => app.close());

const propose = (body: object, token = member) => app.http.post(`${V}/me/rectifications`).set(bearer(token)).send(body);
const subscriber = async () => (await app.http.get(`${V}/subscribers/${subscriberId}`).set(bearer(tech)).expect(200)).body;

describe('the flow', () => {
  it('a-member-proposes-a-technician-accepts-and-the-record-changes', async () => {
    const proposed = await propose({ field: 'displayName', proposedValue: ' Bob Martin ', note: 'my name is misspelt' });
    expect(proposed.status).toBe(201);
    expect(proposed.body).toEqual({
      id: expect.any(String),
      subscriberId,
      field: 'displayName',
      status: 'pending',
      proposedValue: 'Bob Martin',
      note: 'my name is misspelt',
      proposedAt: app.clock.now().toISOString(),
      resolvedAt: null,
      refusalReason: null,
    });
    const queue = await app.http.get(`${V}/rectifications`).query({ status: 'pending' }).set(bearer(tech)).expect(200);
    expect(queue.body).toMatchObject({ total: 1, items: [{ id: proposed.body.id, proposedValue: 'Bob Martin' }] });

    const accepted = await app.http.post(`${V}/rectifications/${proposed.body.id}/accept`).set(bearer(tech)).expect(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', resolvedAt: app.clock.now().toISOString() });
    expect((await subscriber()).displayName).toBe('Bob Martin');
    const mine = await app.http.get(`${V}/me/rectifications`).set(bearer(member)).expect(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ id: proposed.body.id, status: 'accepted' })]);

    const again = await app.http.post(`${V}/rectifications/${proposed.body.id}/accept`).set(bearer(tech));
    expect(again.status).toBe(409);
    expect(again.body.type).toBe('urn:lanterne:problem:rectification-already-resolved');
  });

  it('a-refusal-carries-its-reason-to-the-member-and-changes-nothing', async () => {
    const proposed = await propose({ field: 'email', proposedValue: 'Bob@Example.NET' }).expect(201);
    expect(proposed.body.proposedValue).toBe('bob@example.net');
    const refused = await app.http.post(`${V}/rectifications/${proposed.body.id}/refuse`).set(bearer(tech)).send({ reason: 'please confirm from the new address first' }).expect(200);
    expect(refused.body).toMatchObject({ status: 'refused', refusalReason: 'please confirm from the new address first' });
    expect((await subscriber()).email).toBe('bob@example.org');
    const mine = await app.http.get(`${V}/me/rectifications`).set(bearer(member)).expect(200);
    expect(mine.body.items.find((item: { id: string }) => item.id === proposed.body.id).refusalReason).toBe('please confirm from the new address first');
    expect((await app.http.post(`${V}/rectifications/${proposed.body.id}/refuse`).set(bearer(tech)).send({ reason: 'twice' })).status).toBe(409);
  });

  it('a-second-request-for-a-field-still-pending-is-a-409', async () => {
    await propose({ field: 'language', proposedValue: 'nl' }).expect(201);
    const before = await countRows(app, TABLES);
    const second = await propose({ field: 'language', proposedValue: 'en' });
    expect(second.status).toBe(409);
    expect(second.body.type).toBe('urn:lanterne:problem:rectification-already-pending');
    expect(await countRows(app, TABLES)).toEqual(before);
  });

  it('every-step-is-ledgered-with-ids-only-the-values-sealed-beside-it', async () => {
    const leaves = (await storedLeaves(app)).filter((leaf) => leaf.action.startsWith('rectification.'));
    expect(leaves.map((leaf) => leaf.action)).toEqual(['rectification.proposed', 'rectification.accepted', 'rectification.proposed', 'rectification.refused', 'rectification.proposed']);
    for (const leaf of leaves) expect(leaf).toMatchObject({ subject: subscriberId, refs: { rectificationId: expect.any(String), field: expect.any(String) } });
    const text = JSON.stringify(leaves) + JSON.stringify(await app.sql('SELECT * FROM rectifications'));
    for (const typed of ['Bob Martin', 'misspelt', 'bob@example.net', 'confirm from the new address']) expect(text).not.toContain(typed);
    expect(leaves[0].personal).toEqual({ proposedValue: expect.stringMatching(/^[0-9a-f]{64}$/), note: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('the-export-lists-them-with-the-subscriber', async () => {
    const data = await app.http.get(`${V}/me/data`).set(bearer(member)).expect(200);
    expect(data.body.subscriber.rectifications.map((r: { field: string; status: string }) => `${r.field}:${r.status}`)).toEqual(['displayName:accepted', 'email:refused', 'language:pending']);
  });
});

describe('refusals', () => {
  it('identity-fields-are-a-422-saying-they-are-rectified-by-a-new-verification', async () => {
    for (const field of ['legalName', 'contact', 'phone', 'address']) {
      const before = await countRows(app, TABLES);
      const r = await propose({ field, proposedValue: 'Robert Martin' });
      expect(r.status).toBe(422);
      expect(r.body.type).toBe('urn:lanterne:problem:identity-rectified-by-verification');
      expect(r.body.detail).toMatch(/new verification/);
      expect(r.body.errors).toEqual([{ path: 'field', message: expect.any(String) }]);
      expect(await countRows(app, TABLES)).toEqual(before);
    }
  });

  it('a-value-breaking-the-fields-rules-is-a-400-naming-proposedValue', async () => {
    await expectBadInput(app, member, TABLES, 'post', `${V}/me/rectifications`, { field: 'email', proposedValue: 'not an address' }, 'proposedValue');
    await expectBadInput(app, member, TABLES, 'post', `${V}/me/rectifications`, { field: 'displayName', proposedValue: '   ' }, 'proposedValue');
    await expectBadInput(app, member, TABLES, 'post', `${V}/me/rectifications`, { field: 'language', proposedValue: 'French' }, 'proposedValue');
  });

  it('bad-shapes-are-400s-naming-the-field', async () => {
    await expectBadInput(app, member, TABLES, 'post', `${V}/me/rectifications`, { field: 'status', proposedValue: 'active' }, 'field');
    await expectBadInput(app, member, TABLES, 'post', `${V}/me/rectifications`, { field: 'email' }, 'proposedValue');
    await expectBadInput(app, member, TABLES, 'post', `${V}/me/rectifications`, { field: 'email', proposedValue: 'a@b.org', subscriberId }, '');
    await expectBadInput(app, tech, TABLES, 'post', `${V}/rectifications/not-a-uuid/accept`, undefined, 'id');
    await expectBadInput(app, tech, TABLES, 'post', `${V}/rectifications/${subscriberId}/refuse`, {}, 'reason');
    await expectBadInput(app, tech, TABLES, 'get', `${V}/rectifications?status=closed`, undefined, 'status');
  });

  it('an-unknown-rectification-is-a-404', async () => {
    const r = await app.http.post(`${V}/rectifications/${subscriberId}/accept`).set(bearer(tech));
    expect(r.status).toBe(404);
    expect(r.body.type).toBe('urn:lanterne:problem:rectification-not-found');
  });

  it('members-propose-technicians-resolve-and-no-one-else', async () => {
    const ccj = await app.tokenFor('ccj');
    for (const token of [tech, app.adminToken, ccj]) {
      await expectForbidden(app, token, TABLES, 'post', `${V}/me/rectifications`, { field: 'email', proposedValue: 'x@example.org' });
      await expectForbidden(app, token, TABLES, 'get', `${V}/me/rectifications`, undefined);
    }
    for (const token of [member, app.adminToken, ccj]) {
      await expectForbidden(app, token, TABLES, 'get', `${V}/rectifications`, undefined);
      await expectForbidden(app, token, TABLES, 'post', `${V}/rectifications/${subscriberId}/accept`, undefined);
      await expectForbidden(app, token, TABLES, 'post', `${V}/rectifications/${subscriberId}/refuse`, { reason: 'no' });
    }
  });

  it('a-member-sees-only-their-own-requests', async () => {
    const other = await memberToken(app, (await makeSubscriber(app, tech)).id);
    expect((await app.http.get(`${V}/me/rectifications`).set(bearer(other)).expect(200)).body).toEqual({ items: [] });
  });
});

describe('retention', () => {
  it('erases-the-typed-values-with-the-subscription-data', async () => {
    const leaver = await makeSubscriber(app, tech);
    const token = await memberToken(app, leaver.id);
    await app.http.patch(`${V}/subscribers/${leaver.id}`).set(bearer(tech)).send({ status: 'active' }).expect(200);
    const proposed = await propose({ field: 'displayName', proposedValue: 'Carol Leaving', note: 'before I go' }, token).expect(201);
    await app.http.post(`${V}/subscribers/${leaver.id}/terminate`).set(bearer(tech)).send({}).expect(200);
    app.clock.advance(366 * 24 * 3600 * 1000);
    await app.http.post(`${V}/admin/retention/run`).set(bearer(app.adminToken)).expect(200);
    const queue = await app.http.get(`${V}/rectifications`).set(bearer(tech)).expect(200);
    expect(queue.body.items.find((item: { id: string }) => item.id === proposed.body.id)).toMatchObject({ proposedValue: null, note: null });
    const accept = await app.http.post(`${V}/rectifications/${proposed.body.id}/accept`).set(bearer(tech));
    expect(accept.status).toBe(409);
  });
});
