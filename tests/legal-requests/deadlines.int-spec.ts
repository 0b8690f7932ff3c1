import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config';
import { LegalRequestDeadlines, REMINDER_SWEEP_EVERY_MS } from '../../src/legal-requests/legal-request-deadlines.service';
import { startLanterne } from '../../src/server';
import { storedLeaves } from '../support/ledger';
import { eventually, outboxFiles } from '../support/outbox';
import { expectBadInput, expectForbidden } from '../support/refusals';
import { bearer, createTestApp, TestApp, TestClock } from '../support/test-app';

/**
 * The ccj circle is reminded of a request's deadline three days before it and when it passes, each
 * once per deadline, through the outbox. The clock is moved by hand and the sweep called directly
 * (the scheduled one, on the wall clock, may run too: it can only find what is already sent).
 */

const V = '/api/v1';
const DAY = 24 * 60 * 60 * 1000;
const TABLES = ['legal_requests', 'legal_request_reminders', 'circle_notices', 'outbox_messages', 'ledger_leaves'];

let app: TestApp;
let dir: string;
let ccj: string;

const accreditation = { grantedOn: '2026-01-15', expiresOn: '2027-12-31', authority: 'Assemblée générale du 15 janvier 2026' };

async function circleMember(email?: string, language?: string): Promise<string> {
  const created = await app.http
    .post(`${V}/users`)
    .set(bearer(app.adminToken))
    .send({ name: 'ccj member', roles: ['ccj'], ...(email ? { email, language } : {}) })
    .expect(201);
  await app.http.post(`${V}/circles/ccj/members`).set(bearer(app.adminToken)).send({ accountId: created.body.id, accreditation }).expect(201);
  return created.body.token;
}

async function receive(dueAt?: string): Promise<string> {
  const r = await app.http
    .post(`${V}/legal-requests`)
    .set(bearer(ccj))
    .send({
      authority: 'Parquet de Liège',
      reference: 'LG/2026/7',
      legalBasis: "Code d'instruction criminelle, art. 46bis",
      kind: 'identification',
      receivedAt: app.clock.now().toISOString(),
      ...(dueAt ? { dueAt } : {}),
      selectors: [{ address: '192.0.2.7', at: '2026-05-20T20:00:00Z' }],
    });
  expect(r.status).toBe(201);
  return r.body.id;
}

const sweep = () => app.lanterne.app.get(LegalRequestDeadlines).sweep();

/** The reminders sent for a request, oldest first. */
async function reminders(id: string): Promise<{ kind: string; dueAt: string }[]> {
  const rows = await app.sql<{ kind: string; due_at: Date }>(`SELECT kind, due_at FROM legal_request_reminders WHERE request_id = $1 ORDER BY sent_at, kind`, [id]);
  return rows.map((row) => ({ kind: row.kind, dueAt: row.due_at.toISOString() }));
}

/** The notices written for a request, by kind. */
const notices = (id: string) =>
  app.sql<{ kind: string; n: number }>(`SELECT kind, count(*)::int AS n FROM circle_notices WHERE params->>'requestId' = $1 GROUP BY kind ORDER BY kind`, [id]);

const reminderEntries = async (id: string) => (await storedLeaves(app)).filter((leaf) => leaf.action === 'legal-request.reminder-sent' && leaf.refs.requestId === id);

async function answer(id: string, status: 'answered' | 'closed'): Promise<void> {
  // The answer route is another step's (decisions); the status is set as it would leave it.
  const at = app.clock.now();
  await app.sql(
    `UPDATE legal_requests SET status = $2, decision = 'refuse', decided_at = $3, answered_at = $3, closed_at = CASE WHEN $2 = 'closed' THEN $3::timestamptz END WHERE id = $1`,
    [id, status, at],
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanterne-deadlines-'));
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${dir}` });
  app.clock.set('2026-06-01T10:00:00Z');
  ccj = await circleMember('alice@example.org', 'en');
  await circleMember('bruno@example.org', 'fr');
  // Without an address: a member who is not told by e-mail.
  await circleMember();
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('reminders', () => {
  it('reminds-the-circle-three-days-before-the-deadline-and-when-it-passes-each-once', async () => {
    app.clock.set('2026-06-01T10:00:00Z');
    const id = await receive('2026-06-10T14:00:00+02:00');
    await sweep();
    app.clock.set('2026-06-07T11:59:59Z');
    await sweep();
    expect(await reminders(id)).toEqual([]);

    app.clock.set('2026-06-07T12:00:00Z');
    await sweep();
    await sweep();
    expect(await reminders(id)).toEqual([{ kind: 'due-soon', dueAt: '2026-06-10T12:00:00.000Z' }]);
    expect(await notices(id)).toEqual([{ kind: 'legal-request-due-soon', n: 2 }]);
    const mail = await eventually(async () => [...(await outboxFiles(dir)).values()].find((m) => m.to === 'alice@example.org' && String(m.body).includes(id)));
    expect(mail.subject).toBe('A legal request is due on 2026-06-10 at 12:00 UTC');
    expect(JSON.stringify(mail)).not.toMatch(/Liège|LG\/2026/);

    app.clock.set('2026-06-10T12:00:00Z');
    await sweep();
    app.clock.advance(DAY);
    await sweep();
    expect((await reminders(id)).map((r) => r.kind)).toEqual(['due-soon', 'overdue']);
    expect(await notices(id)).toEqual([
      { kind: 'legal-request-due-soon', n: 2 },
      { kind: 'legal-request-overdue', n: 2 },
    ]);
    const entries = await reminderEntries(id);
    expect(entries.map((e) => e.refs)).toEqual([
      { requestId: id, kind: 'due-soon', dueAt: '2026-06-10T12:00:00.000Z', notified: 2 },
      { requestId: id, kind: 'overdue', dueAt: '2026-06-10T12:00:00.000Z', notified: 2 },
    ]);
    expect(entries[0].actor).toEqual({ id: null, role: 'system' });
  });

  it('a-deadline-found-passed-is-only-overdue', async () => {
    app.clock.set('2026-07-01T10:00:00Z');
    const id = await receive('2026-07-20T10:00:00Z');
    app.clock.set('2026-07-25T10:00:00Z');
    await sweep();
    expect((await reminders(id)).map((r) => r.kind)).toEqual(['overdue']);
  });

  it('a-deadline-already-near-or-passed-at-intake-is-told-at-once', async () => {
    app.clock.set('2026-08-01T10:00:00Z');
    const near = await receive('2026-08-02T10:00:00Z');
    const passed = await receive('2026-07-31T10:00:00Z');
    const without = await receive();
    expect((await reminders(near)).map((r) => r.kind)).toEqual(['due-soon']);
    expect((await reminders(passed)).map((r) => r.kind)).toEqual(['overdue']);
    await sweep();
    expect((await reminders(near)).map((r) => r.kind)).toEqual(['due-soon']);
    expect(await notices(near)).toEqual([{ kind: 'legal-request-due-soon', n: 2 }]);
    app.clock.set('2027-01-01T00:00:00Z');
    await sweep();
    expect(await reminders(without)).toEqual([]);
  });

  it('none-for-a-request-answered-or-closed-before-the-sweep-runs', async () => {
    app.clock.set('2026-09-01T10:00:00Z');
    const answered = await receive('2026-09-10T10:00:00Z');
    const closed = await receive('2026-09-10T10:00:00Z');
    const answeredLate = await receive('2026-09-10T10:00:00Z');
    const open = await receive('2026-09-10T10:00:00Z');
    await answer(answered, 'answered');
    await answer(closed, 'closed');
    app.clock.set('2026-09-08T10:00:00Z');
    await sweep();
    // Answered once its due-soon went out: the deadline passing is no news.
    await answer(answeredLate, 'answered');
    app.clock.set('2026-09-11T10:00:00Z');
    await sweep();
    expect(await reminders(answered)).toEqual([]);
    expect(await reminders(closed)).toEqual([]);
    expect(await notices(answered)).toEqual([]);
    expect(await notices(closed)).toEqual([]);
    expect((await reminders(answeredLate)).map((r) => r.kind)).toEqual(['due-soon']);
    expect((await reminders(open)).map((r) => r.kind)).toEqual(['due-soon', 'overdue']);
  });

  it('two-instances-sweeping-at-once-send-each-reminder-once', async () => {
    app.clock.set('2026-10-01T10:00:00Z');
    const ids = [await receive('2026-10-10T10:00:00Z'), await receive('2026-10-10T11:00:00Z'), await receive('2026-10-10T12:00:00Z')];
    const clock = new TestClock(new Date('2026-10-08T12:00:00Z'));
    app.clock.set('2026-10-08T12:00:00Z');
    const other = await startLanterne(loadConfig(app.env), { clock });
    try {
      const sweepOther = () => other.app.get(LegalRequestDeadlines).sweep();
      const sent = await Promise.all([sweep(), sweepOther(), sweep(), sweepOther()]);
      expect(sent.reduce((a, b) => a + b, 0)).toBe(3);
      app.clock.set('2026-10-10T12:00:00Z');
      clock.set('2026-10-10T12:00:00Z');
      const overdue = await Promise.all([sweepOther(), sweep(), sweepOther(), sweep()]);
      expect(overdue.reduce((a, b) => a + b, 0)).toBe(3);
    } finally {
      await other.stop();
    }
    for (const id of ids) {
      expect((await reminders(id)).map((r) => r.kind)).toEqual(['due-soon', 'overdue']);
      expect(await notices(id)).toEqual([
        { kind: 'legal-request-due-soon', n: 2 },
        { kind: 'legal-request-overdue', n: 2 },
      ]);
      expect(await reminderEntries(id)).toHaveLength(2);
    }
  }, 60_000);

  it('the-sweep-is-a-job-on-the-legal-requests-queue', async () => {
    const queue = app.lanterne.app.get<Queue>(getQueueToken('legal-requests'));
    expect(await queue.getJobScheduler('reminder-sweep')).toMatchObject({ every: REMINDER_SWEEP_EVERY_MS });
    app.clock.set('2026-11-01T10:00:00Z');
    const id = await receive('2026-11-10T10:00:00Z');
    app.clock.set('2026-11-09T10:00:00Z');
    await queue.add('reminder-sweep', {});
    expect(await eventually(async () => (await reminders(id)).length > 0 && reminders(id))).toEqual([{ kind: 'due-soon', dueAt: '2026-11-10T10:00:00.000Z' }]);
  });
});

describe('changing the deadline', () => {
  it('more-time-is-ledgered-with-from-and-to-and-the-new-deadline-is-reminded-anew', async () => {
    app.clock.set('2026-12-01T10:00:00Z');
    const id = await receive('2026-12-03T10:00:00Z');
    expect((await reminders(id)).map((r) => r.kind)).toEqual(['due-soon']);

    const moved = await app.http.put(`${V}/legal-requests/${id}/due-at`).set(bearer(ccj)).send({ dueAt: '2026-12-20T11:00:00+01:00' });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ id, dueAt: '2026-12-20T10:00:00.000Z', reminded: null });
    expect((await app.http.get(`${V}/legal-requests/${id}`).set(bearer(ccj))).body.dueAt).toBe('2026-12-20T10:00:00.000Z');
    const [entry] = (await storedLeaves(app)).filter((leaf) => leaf.action === 'legal-request.due-at-changed' && leaf.refs.requestId === id);
    expect(entry.refs).toEqual({ requestId: id, from: '2026-12-03T10:00:00.000Z', to: '2026-12-20T10:00:00.000Z' });

    // The old deadline passing is no longer news; the new one is reminded three days before.
    app.clock.set('2026-12-04T10:00:00Z');
    await sweep();
    app.clock.set('2026-12-17T10:00:00Z');
    await sweep();
    expect(await reminders(id)).toEqual([
      { kind: 'due-soon', dueAt: '2026-12-03T10:00:00.000Z' },
      { kind: 'due-soon', dueAt: '2026-12-20T10:00:00.000Z' },
    ]);

    // Moved to within three days: told at once, once.
    const near = await app.http.put(`${V}/legal-requests/${id}/due-at`).set(bearer(ccj)).send({ dueAt: '2026-12-18T10:00:00Z' });
    expect(near.body).toEqual({ id, dueAt: '2026-12-18T10:00:00.000Z', reminded: 'due-soon' });
    await sweep();
    expect(await reminders(id)).toHaveLength(3);

    // The same deadline again changes nothing and records nothing.
    const entries = (await storedLeaves(app)).length;
    const same = await app.http.put(`${V}/legal-requests/${id}/due-at`).set(bearer(ccj)).send({ dueAt: '2026-12-18T11:00:00+01:00' });
    expect(same.body).toEqual({ id, dueAt: '2026-12-18T10:00:00.000Z', reminded: null });
    expect((await storedLeaves(app)).length).toBe(entries);
  });

  it('an-answered-or-closed-request-keeps-its-deadline-409', async () => {
    app.clock.set('2027-01-01T10:00:00Z');
    for (const status of ['answered', 'closed'] as const) {
      const id = await receive('2027-01-20T10:00:00Z');
      await answer(id, status);
      const before = (await storedLeaves(app)).length;
      const r = await app.http.put(`${V}/legal-requests/${id}/due-at`).set(bearer(ccj)).send({ dueAt: '2027-02-20T10:00:00Z' });
      expect(r.status).toBe(409);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(r.body).toMatchObject({ type: expect.stringContaining('legal-request-already-answered'), status: 409 });
      expect((await app.sql<{ due_at: Date }>('SELECT due_at FROM legal_requests WHERE id = $1', [id]))[0].due_at.toISOString()).toBe('2027-01-20T10:00:00.000Z');
      expect((await storedLeaves(app)).length).toBe(before);
    }
  });

  it('refuses-bad-input-an-unknown-request-and-other-roles', async () => {
    const id = await receive('2027-03-20T10:00:00Z');
    const path = `${V}/legal-requests/${id}/due-at`;
    await expectBadInput(app, ccj, TABLES, 'put', path, { dueAt: '2027-04-01T10:00:00' }, 'dueAt');
    await expectBadInput(app, ccj, TABLES, 'put', path, { dueAt: 'next week' }, 'dueAt');
    await expectBadInput(app, ccj, TABLES, 'put', path, {}, 'dueAt');
    await expectBadInput(app, ccj, TABLES, 'put', path, { dueAt: null }, 'dueAt');
    await expectBadInput(app, ccj, TABLES, 'put', path, { dueAt: '2027-04-01T10:00:00Z', extra: 1 }, '');
    await expectBadInput(app, ccj, TABLES, 'put', `${V}/legal-requests/not-a-uuid/due-at`, { dueAt: '2027-04-01T10:00:00Z' }, 'id');
    const unknown = await app.http.put(`${V}/legal-requests/00000000-0000-4000-8000-000000000000/due-at`).set(bearer(ccj)).send({ dueAt: '2027-04-01T10:00:00Z' });
    expect(unknown.status).toBe(404);
    await expectForbidden(app, await app.tokenFor('technician'), TABLES, 'put', path, { dueAt: '2027-04-01T10:00:00Z' });
  });
});
