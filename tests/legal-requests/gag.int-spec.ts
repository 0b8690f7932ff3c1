import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SubjectHolds } from '../../src/ledger/subject-holds';
import { GagCheck } from '../../src/legal-requests/gag-check';
import { LegalRequestSubjects } from '../../src/legal-requests/legal-request-subjects';
import { makePool } from '../factories/network.factory';
import { storedLeaves } from '../support/ledger';
import { eventually, outboxFiles } from '../support/outbox';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { ccjActor, discloseAbout, makeMember, MemberFixture, receiveRequest } from './concerned-members';

const V = '/api/v1';
const DAY = 24 * 3600 * 1000;

let app: TestApp;
let dir: string;
let tech: string;
let ccj: string;
let poolId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lanterne-gag-'));
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${dir}` });
  tech = await app.tokenFor('technician');
  ccj = await app.tokenFor('ccj');
  poolId = (await makePool(app, tech, '192.0.2.0/24', 32)).id;
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const subjects = () => app.lanterne.app.get(LegalRequestSubjects);
const holds = () => app.lanterne.app.get(SubjectHolds);
const gagCheck = () => app.lanterne.app.get(GagCheck);
const accessLog = async (member: MemberFixture) => (await holds().entriesAbout(member.subscriberId, app.clock.now(), { limit: 500, offset: 0 })).items;
const mailsTo = async (to: string) => [...(await outboxFiles(dir)).values()].filter((m) => m.channel === 'email' && m.to === to);
const gagLiftedMessages = () => app.sql(`SELECT id FROM outbox_messages WHERE kind = 'gag-lifted'`);

/** Everything a member account can call today, with the member's own ids in its paths and bodies. */
function memberRoutes(m: MemberFixture, other: MemberFixture) {
  const ptr = `${V}/subscriptions/${m.subscriptionId}/reverse-dns`;
  return [
    { method: 'get', path: `${V}/me` },
    { method: 'get', path: `${V}/me/contact` },
    { method: 'put', path: `${V}/me/contact`, body: { email: 'someone@example.org', language: 'en' } },
    { method: 'get', path: ptr },
    { method: 'get', path: `${ptr}/history` },
    { method: 'put', path: ptr, body: { address: m.address, name: 'home.example.org' } },
    { method: 'get', path: ptr },
    { method: 'get', path: `${ptr}/history` },
    { method: 'delete', path: `${ptr}?address=${m.address}` },
    { method: 'delete', path: `${ptr}?address=${m.address}` },
    { method: 'get', path: `${V}/subscriptions/${other.subscriptionId}/reverse-dns` },
    { method: 'post', path: `${V}/verifications/00000000-0000-4000-8000-000000000000/confirm`, body: { code: '123456' } },
    { method: 'get', path: `${V}/ledger/entries?start=0&end=1` },
    { method: 'get', path: `${V}/ledger/verify` },
    { method: 'get', path: `${V}/ledger/personal-values/0` },
    { method: 'get', path: `${V}/legal-requests` },
    { method: 'get', path: `${V}/outbox/messages` },
  ] as { method: 'get' | 'put' | 'post' | 'delete'; path: string; body?: object }[];
}

/** The answer with the member's own values (ids, address, number, the times the test made) replaced by names. */
function normalised(m: MemberFixture, answer: { status: number; headers: Record<string, string>; body: unknown }) {
  let text = JSON.stringify({ status: answer.status, type: answer.headers['content-type'], body: answer.body });
  const own: [string, string][] = [
    [m.subscriberId, '<subscriber>'],
    [m.accountId, '<account>'],
    [m.subscriptionId, '<subscription>'],
    [m.assignmentId, '<assignment>'],
    [m.address, '<address>'],
  ];
  for (const [value, name] of own) text = text.split(value).join(name);
  return JSON.parse(text);
}

async function answersOf(m: MemberFixture, other: MemberFixture) {
  const answers = [];
  for (const route of memberRoutes(m, other)) {
    const call = app.http[route.method](route.path).set(bearer(m.token));
    const r = route.body ? await call.send(route.body) : await call;
    const label = route.path.split(m.subscriptionId).join('<subscription>').split(other.subscriptionId).join('<other>').split(m.address).join('<address>');
    answers.push({ route: `${route.method} ${label}`, answer: normalised(m, r) });
  }
  return answers;
}

/** A member's access log as they would read it, with their own values replaced and the indexes, which run on for everyone, left out. */
async function normalisedLog(m: MemberFixture) {
  return (await accessLog(m)).map(({ index: _index, ...entry }) => normalised(m, { status: 200, headers: {}, body: entry }).body);
}

describe('before the gag is over', () => {
  let gagged: MemberFixture;
  let unconcerned: MemberFixture;
  let requestId: string;
  let heldIndexes: number[];
  const gagUntil = '2026-09-01T00:00:00.000Z';

  beforeAll(async () => {
    gagged = await makeMember(app, tech, poolId);
    unconcerned = await makeMember(app, tech, poolId);
    requestId = await receiveRequest(app, ccj, { gagUntil, selectors: [{ address: gagged.address, at: '2026-05-10T21:00:00Z' }] });
    heldIndexes = await discloseAbout(app, await ccjActor(app, ccj), requestId, gagged);
  });

  it('answers-every-member-route-for-the-member-concerned-exactly-as-for-a-member-no-request-concerns', async () => {
    const fromGagged = await answersOf(gagged, unconcerned);
    const fromUnconcerned = await answersOf(unconcerned, gagged);
    expect(fromGagged).toEqual(fromUnconcerned);
    // The routes did answer something (not only refusals): the member's own data.
    expect(fromGagged[0].answer).toMatchObject({ status: 200, body: { subscriberId: '<subscriber>', roles: ['member'] } });
    expect(fromGagged[5].answer).toMatchObject({ status: 200, body: { address: '<address>', name: 'home.example.org' } });
  });

  it('shows-the-member-an-access-log-without-the-lookup-the-identity-read-or-the-disclosure', async () => {
    const log = await accessLog(gagged);
    expect(log.filter((e) => heldIndexes.includes(e.index))).toEqual([]);
    expect(await normalisedLog(gagged)).toEqual(await normalisedLog(unconcerned));
    expect(await holds().visibleToSubject(heldIndexes, app.clock.now())).toEqual([]);
    // The entries are there for those who may read the ledger: the gag hides them from their subject only.
    const leaves = await storedLeaves(app);
    expect(heldIndexes.map((i) => leaves[i].action)).toEqual(['ip-history.looked-up', 'identity.read', 'identity.disclosed']);
    expect(heldIndexes.map((i) => leaves[i].subject)).toEqual([gagged.subscriberId, gagged.subscriberId, gagged.subscriberId]);
  });

  it('leaves-the-request-and-its-entries-out-of-the-members-own-export', async () => {
    const exported = (await app.http.get(`${V}/me/data`).set(bearer(gagged.token)).expect(200)).body;
    expect(exported.legalRequests).toEqual([]);
    expect(exported.accessLog.map((e: { index: number }) => e.index).filter((i: number) => heldIndexes.includes(i))).toEqual([]);
    expect(JSON.stringify(exported)).not.toMatch(/Liège|LG\.77/);
  });

  it('lists-no-request-concerning-the-member-and-sends-them-nothing', async () => {
    expect(await subjects().requestsConcerning(gagged.subscriberId, app.clock.now())).toEqual([]);
    expect(await subjects().requestsConcerning(unconcerned.subscriberId, app.clock.now())).toEqual([]);
    // One millisecond before its end, the gag still holds.
    app.clock.set(new Date(new Date(gagUntil).getTime() - 1));
    expect(await subjects().requestsConcerning(gagged.subscriberId, app.clock.now())).toEqual([]);
    expect(await holds().visibleToSubject(heldIndexes, app.clock.now())).toEqual([]);
    expect(await gagCheck().run()).toBe(0);
    expect(await gagLiftedMessages()).toEqual([]);
    expect((await storedLeaves(app)).filter((e) => e.action === 'legal-request.gag-lifted')).toEqual([]);
  });

  describe('once it is over', () => {
    beforeAll(() => app.clock.set(gagUntil));

    it('shows-the-request-with-what-was-disclosed-and-never-its-reference', async () => {
      const concerning = await subjects().requestsConcerning(gagged.subscriberId, app.clock.now());
      expect(concerning).toEqual([
        {
          id: requestId,
          kind: 'identification',
          authority: 'Juge d’instruction de Liège',
          legalBasis: "Code d'instruction criminelle, art. 46bis",
          receivedAt: '2026-05-20T10:00:00.000Z',
          status: 'received',
          decision: null,
          disclosed: [{ selector: { address: gagged.address, at: '2026-05-10T21:00:00.000Z' }, fields: ['memberNumber', 'legalName', 'verifiedContact'] }],
        },
      ]);
      expect(JSON.stringify(concerning)).not.toContain('LG.77.XY.2026/9');
      expect(await subjects().requestsConcerning(unconcerned.subscriberId, app.clock.now())).toEqual([]);
    });

    it('shows-the-request-and-its-entries-in-the-members-own-export', async () => {
      const exported = (await app.http.get(`${V}/me/data`).set(bearer(gagged.token)).expect(200)).body;
      expect(exported.legalRequests).toEqual([expect.objectContaining({ id: requestId, kind: 'identification', authority: 'Juge d’instruction de Liège' })]);
      expect(exported.accessLog.map((e: { index: number }) => e.index)).toEqual(expect.arrayContaining(heldIndexes));
      expect(JSON.stringify(exported)).not.toContain('LG.77.XY.2026/9');
    });

    it('puts-the-lookup-the-identity-read-and-the-disclosure-back-in-the-member-access-log', async () => {
      expect(await holds().visibleToSubject(heldIndexes, app.clock.now())).toEqual(heldIndexes);
      const log = await accessLog(gagged);
      expect(log.filter((e) => heldIndexes.includes(e.index)).map((e) => [e.action, e.actorRole, e.purposeCategory])).toEqual([
        ['identity.disclosed', 'ccj', 'legal-request'],
        ['identity.read', 'ccj', 'legal-request'],
        ['ip-history.looked-up', 'ccj', 'legal-request'],
      ]);
    });

    it('records-the-lifting-in-the-member-access-log-and-tells-them-once-by-e-mail-without-the-authority-or-reference', async () => {
      const [first, second] = await Promise.all([gagCheck().run(), gagCheck().run()]);
      expect(first + second).toBe(1);
      expect(await gagCheck().run()).toBe(0);

      const lifted = (await storedLeaves(app)).filter((e) => e.action === 'legal-request.gag-lifted');
      expect(lifted).toEqual([expect.objectContaining({ actor: { id: null, role: 'system' }, subject: gagged.subscriberId, refs: { requestId, gagUntil } })]);
      expect((await accessLog(gagged))[0]).toMatchObject({ action: 'legal-request.gag-lifted', actorRole: 'system', refs: { requestId } });

      const [mail] = await eventually(() => mailsTo(gagged.email).then((mails) => mails.length === 1 && mails));
      expect(mail).toMatchObject({ channel: 'email', to: gagged.email, body: expect.stringContaining('2026-05-20') });
      for (const secret of ['Liège', 'LG.77.XY.2026/9', '46bis', 'identification', gagged.address]) expect(JSON.stringify(mail)).not.toContain(secret);
      expect(await gagLiftedMessages()).toHaveLength(1);
      expect(await mailsTo(unconcerned.email)).toEqual([]);
    });
  });
});

describe('a request without a gag', () => {
  it('is-shown-at-once-and-its-member-told-at-the-next-check', async () => {
    const member = await makeMember(app, tech, poolId);
    const requestId = await receiveRequest(app, ccj, { selectors: [{ address: member.address, at: '2026-05-10T21:00:00Z' }] });
    const indexes = await discloseAbout(app, await ccjActor(app, ccj), requestId, member);
    expect(await holds().visibleToSubject(indexes, app.clock.now())).toEqual(indexes);
    expect((await subjects().requestsConcerning(member.subscriberId, app.clock.now())).map((r) => r.id)).toEqual([requestId]);
    expect(await gagCheck().run()).toBe(1);
    expect((await storedLeaves(app)).filter((e) => e.action === 'legal-request.gag-lifted' && e.subject === member.subscriberId)).toEqual([
      expect.objectContaining({ refs: { requestId, gagUntil: null } }),
    ]);
  });
});

describe('the daily check', () => {
  it('is-a-repeatable-job-of-the-legal-requests-queue-on-a-cron-pattern', async () => {
    const queue = app.lanterne.app.get<Queue>(getQueueToken('legal-requests'));
    expect(await queue.getJobScheduler('gag-check')).toMatchObject({ pattern: '0 2 * * *', tz: 'UTC' });
  });

  it('tells-no-member-twice-on-a-later-day', async () => {
    app.clock.advance(DAY);
    expect(await gagCheck().run()).toBe(0);
  });
});
