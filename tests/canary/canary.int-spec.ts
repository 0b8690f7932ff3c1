import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CanaryWarnings } from '../../src/canary/canary-warnings.service';
import { verifyCanary } from '../../src/canary/canary-signature';
import { makeSubscriber } from '../factories/subscriber.factory';
import { storedLeaves } from '../support/ledger';
import { eventually, outboxFiles } from '../support/outbox';
import { countRows, expectBadInput } from '../support/refusals';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const V = '/api/v1';
const TABLES = ['canaries', 'proposals', 'ledger_leaves'];

let app: TestApp;
let dir: string;
let alice: { id: string; token: string };
let bruno: { id: string; token: string };

async function person(name: string, roles: string[], extra: Record<string, unknown> = {}) {
  const created = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name, roles, ...extra }).expect(201);
  return { id: created.body.id as string, token: created.body.token as string };
}

const accreditation = { grantedOn: '2026-01-15', expiresOn: '2030-12-31', authority: 'Assemblée générale du 15 janvier 2026' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanterne-canary-'));
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${dir}` });
  alice = await person('Alice', ['ccj'], { email: 'alice@example.org', language: 'en' });
  bruno = await person('Bruno', ['ccj'], { email: 'bruno@example.org', language: 'en' });
  for (const who of [alice, bruno]) await app.http.post(`${V}/circles/ccj/members`).set(bearer(app.adminToken)).send({ accountId: who.id, accreditation }).expect(201);
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

const propose = (statement: string, renewBy: string, token = alice.token) => app.http.post(`${V}/canary/proposals`).set(bearer(token)).send({ statement, renewBy });

/** Both members take `position`, and Bruno closes the proposal. */
async function decide(proposalId: string, position: 'consent' | 'block'): Promise<string> {
  for (const who of [alice, bruno]) {
    await app.http.post(`${V}/proposals/${proposalId}/positions`).set(bearer(who.token)).send(position === 'block' ? { position, reason: 'not true any more' } : { position }).expect(200);
  }
  return (await app.http.post(`${V}/proposals/${proposalId}/close`).set(bearer(bruno.token)).expect(200)).body.status;
}

async function adopt(statement: string, renewBy: string): Promise<string> {
  const proposed = await propose(statement, renewBy).expect(201);
  expect(await decide(proposed.body.proposalId, 'consent')).toBe('adopted');
  return proposed.body.proposalId;
}

/** The canary e-mails written so far, to `to`. */
async function canaryMails(to: string) {
  return [...(await outboxFiles(dir)).values()].filter((mail) => mail.to === to && String(mail.body).includes('warrant canary'));
}

describe('the warrant canary', () => {
  it('reads-404-until-a-canary-is-issued', async () => {
    const none = await app.http.get(`${V}/canary`).expect(404);
    expect(none.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(none.body.type).toBe('urn:lanterne:problem:canary-none');
    expect((await app.http.get(`${V}/canary/history`).expect(200)).body).toEqual({ items: [], total: 0, limit: 50, offset: 0 });
  });

  it('an-adopted-proposal-issues-a-canary-signed-by-the-ledger-key-and-ledgered', async () => {
    const proposed = await propose('  The association has received no order it may not disclose.  ', '2026-09-01T00:00:00+02:00').expect(201);
    expect(proposed.body).toEqual({ proposalId: expect.any(String), status: 'open' });
    const proposal = await app.http.get(`${V}/proposals/${proposed.body.proposalId}`).set(bearer(alice.token)).expect(200);
    expect(proposal.body).toMatchObject({ circle: 'ccj', body: 'The association has received no order it may not disclose.' });
    await app.http.get(`${V}/canary`).expect(404);

    app.clock.set('2026-06-02T08:00:00Z');
    expect(await decide(proposed.body.proposalId, 'consent')).toBe('adopted');
    const canary = (await app.http.get(`${V}/canary`).expect(200)).body;
    expect(canary).toMatchObject({
      statement: 'The association has received no order it may not disclose.',
      issuedAt: '2026-06-02T08:00:00.000Z',
      renewBy: '2026-08-31T22:00:00.000Z',
      status: 'current',
      proposalId: proposed.body.proposalId,
    });
    const checkpoint = (await app.http.get(`${V}/ledger/checkpoint`).expect(200)).body;
    expect(canary.publicKey).toBe(checkpoint.publicKey);
    expect(verifyCanary(checkpoint.publicKey, canary)).toBe(true);
    expect(canary.signedText).toMatch(/^lanterne-canary\n2026-06-02T08:00:00.000Z\n2026-08-31T22:00:00.000Z\n[0-9a-f]{64}\n$/);
    const [entry] = (await storedLeaves(app)).filter((leaf) => leaf.action === 'canary.issued');
    expect(entry.refs).toMatchObject({ proposalId: proposed.body.proposalId, issuedAt: canary.issuedAt, renewBy: canary.renewBy, signature: canary.signature });
    expect(JSON.stringify(entry)).not.toContain('received no order');
  });

  it('a-rejected-proposal-issues-nothing', async () => {
    const before = (await app.http.get(`${V}/canary`).expect(200)).body;
    const proposed = await propose('A statement the circle blocks.', '2026-12-01T00:00:00Z').expect(201);
    expect(await decide(proposed.body.proposalId, 'block')).toBe('rejected');
    expect((await app.http.get(`${V}/canary`).expect(200)).body).toEqual(before);
    expect(await app.sql(`SELECT outcome FROM canaries WHERE proposal_id = $1`, [proposed.body.proposalId])).toEqual([{ outcome: 'rejected' }]);
  });

  it('warns-the-circle-14-and-3-days-before-it-lapses-once-each', async () => {
    const warnings = app.lanterne.app.get(CanaryWarnings);
    expect(await app.lanterne.app.get<Queue>(getQueueToken('canary')).getJobScheduler('lapse-warnings')).toBeDefined();
    expect(await warnings.sweep()).toBe(0);
    app.clock.set('2026-08-18T00:00:00Z');
    expect(await warnings.sweep()).toBe(2);
    expect(await warnings.sweep()).toBe(0);
    const [first] = await eventually(async () => (await canaryMails('alice@example.org')).length === 1 && canaryMails('alice@example.org'));
    expect(first.body).toContain('must be renewed by 2026-08-31 at 22:00 UTC');
    expect(JSON.stringify(first)).not.toContain('received no order');
    app.clock.set('2026-08-29T00:00:00Z');
    expect(await warnings.sweep()).toBe(2);
    expect(await warnings.sweep()).toBe(0);
    await eventually(async () => (await canaryMails('bruno@example.org')).length === 2);
    expect(await app.sql(`SELECT days_before FROM canary_warnings ORDER BY days_before`)).toEqual([{ days_before: 3 }, { days_before: 14 }]);
  });

  it('reads-lapsed-once-past-its-renewal-date-and-is-never-refreshed', async () => {
    const current = (await app.http.get(`${V}/canary`).expect(200)).body;
    app.clock.set('2026-09-01T00:00:00Z');
    const lapsed = (await app.http.get(`${V}/canary`).expect(200)).body;
    expect(lapsed).toEqual({ ...current, status: 'lapsed' });
    expect(await app.lanterne.app.get(CanaryWarnings).sweep()).toBe(0);
    await expect(app.sql(`UPDATE canaries SET renew_by = '2027-01-01' WHERE outcome = 'issued'`)).rejects.toThrow(/never changed/);
  });

  it('a-new-adoption-replaces-a-lapsed-canary-and-the-earlier-one-goes-to-the-history', async () => {
    const lapsed = (await app.http.get(`${V}/canary`).expect(200)).body;
    app.clock.set('2026-09-03T10:00:00Z');
    const proposalId = await adopt('Still no order we may not disclose.', '2026-12-01T00:00:00Z');
    const current = (await app.http.get(`${V}/canary`).expect(200)).body;
    expect(current).toMatchObject({ proposalId, status: 'current', issuedAt: '2026-09-03T10:00:00.000Z' });
    const history = (await app.http.get(`${V}/canary/history`).expect(200)).body;
    const { status: _, ...earlier } = lapsed;
    expect(history).toEqual({ items: [earlier], total: 1, limit: 50, offset: 0 });
  });

  it('a-proposal-adopted-after-its-renewal-date-issues-nothing', async () => {
    const before = (await app.http.get(`${V}/canary`).expect(200)).body;
    const proposed = await propose('Adopted too late.', '2026-09-03T11:00:00Z').expect(201);
    app.clock.set('2026-09-03T12:00:00Z');
    expect(await decide(proposed.body.proposalId, 'consent')).toBe('adopted');
    expect((await app.http.get(`${V}/canary`).expect(200)).body).toEqual(before);
    expect(await app.sql(`SELECT outcome FROM canaries WHERE proposal_id = $1`, [proposed.body.proposalId])).toEqual([{ outcome: 'not-issued' }]);
    expect((await storedLeaves(app)).filter((leaf) => leaf.action === 'canary.not-issued')).toHaveLength(1);
  });

  it('only-a-member-of-the-ccj-circle-may-propose-one', async () => {
    const technician = await app.tokenFor('technician');
    const subscriber = await makeSubscriber(app, technician);
    const member = await person('member', ['member'], { subscriberId: subscriber.id });
    const outsider = await app.tokenFor('ccj');
    const before = await countRows(app, TABLES);
    for (const token of [technician, member.token, app.adminToken, outsider]) {
      expect((await propose('A statement.', '2027-01-01T00:00:00Z', token)).status).toBe(403);
    }
    expect((await app.http.post(`${V}/canary/proposals`).send({ statement: 'A statement.', renewBy: '2027-01-01T00:00:00Z' })).status).toBe(401);
    expect(await countRows(app, TABLES)).toEqual(before);
  });

  it('refuses-bad-input-naming-the-field-and-writes-nothing', async () => {
    const path = `${V}/canary/proposals`;
    const good = { statement: 'A statement.', renewBy: '2027-01-01T00:00:00Z' };
    await expectBadInput(app, alice.token, TABLES, 'post', path, { ...good, statement: '   ' }, 'statement');
    await expectBadInput(app, alice.token, TABLES, 'post', path, { ...good, statement: 'x'.repeat(5001) }, 'statement');
    await expectBadInput(app, alice.token, TABLES, 'post', path, { ...good, renewBy: '2027-01-01T00:00:00' }, 'renewBy');
    await expectBadInput(app, alice.token, TABLES, 'post', path, { statement: good.statement }, 'renewBy');
    await expectBadInput(app, alice.token, TABLES, 'post', path, { ...good, issuedAt: '2026-01-01T00:00:00Z' }, '');
    const before = await countRows(app, TABLES);
    const past = await propose('A statement.', '2026-01-01T00:00:00Z');
    expect(past.status).toBe(422);
    expect(past.body.errors).toEqual([expect.objectContaining({ path: 'renewBy' })]);
    expect(await countRows(app, TABLES)).toEqual(before);
    for (const query of ['limit=0', 'offset=-1', 'limit=abc']) expect((await app.http.get(`${V}/canary/history?${query}`)).status).toBe(400);
  });
});
