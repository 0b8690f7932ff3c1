import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storedLeaves } from '../support/ledger';
import { eventually, outboxFiles } from '../support/outbox';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const V = '/api/v1';

let app: TestApp;
let dir: string;

interface Person {
  id: string;
  token: string;
}

async function person(roles: string[], extra: Record<string, unknown> = {}): Promise<Person> {
  const created = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name: `someone ${roles.join('+')}`, roles, ...extra }).expect(201);
  return { id: created.body.id, token: created.body.token };
}

const accreditation = { grantedOn: '2026-01-15', expiresOn: '2027-12-31', authority: 'Assemblée générale du 15 janvier 2026' };
const joinCcj = (who: Person) => app.http.post(`${V}/circles/ccj/members`).set(bearer(app.adminToken)).send({ accountId: who.id, accreditation }).expect(201);

/** The e-mails written so far, addressed to `to`. */
async function mailsTo(to: string): Promise<Record<string, unknown>[]> {
  return [...(await outboxFiles(dir)).values()].filter((message) => message.channel === 'email' && message.to === to);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanterne-notices-'));
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${dir}` });
  app.clock.set('2026-06-01T10:00:00Z');
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

it('tells-each-circle-member-with-an-address-of-an-opened-and-a-closed-proposal-without-its-title', async () => {
  const alice = await person(['ccj'], { email: 'Alice@Example.org', language: 'en' });
  const bruno = await person(['ccj'], { email: 'bruno@example.org' });
  const silent = await person(['ccj']);
  for (const who of [alice, bruno, silent]) await joinCcj(who);

  const opened = await app.http
    .post(`${V}/proposals`)
    .set(bearer(alice.token))
    .send({ title: 'Réquisition du parquet de Liège', body: 'Référence 2026/123.', circle: 'ccj', closesAt: '2026-06-03T10:00:00Z' })
    .expect(201);
  const [toAlice] = await eventually(async () => (await mailsTo('alice@example.org')).length === 1 && mailsTo('alice@example.org'));
  expect(toAlice).toMatchObject({ channel: 'email', to: 'alice@example.org' });
  expect(toAlice.body).toContain(opened.body.id);
  expect(toAlice.body).toContain('It closes on 2026-06-03 at 10:00 UTC.');
  const [toBruno] = await eventually(() => mailsTo('bruno@example.org').then((mails) => mails.length === 1 && mails));
  expect(toBruno.body).toContain('Une proposition');
  for (const mail of [toAlice, toBruno]) expect(JSON.stringify(mail)).not.toMatch(/Liège|2026\/123/);

  for (const who of [alice, bruno]) await app.http.post(`${V}/proposals/${opened.body.id}/positions`).set(bearer(who.token)).send({ position: 'consent' }).expect(200);
  await app.http.post(`${V}/proposals/${opened.body.id}/close`).set(bearer(bruno.token)).expect(200);
  const closed = await eventually(() => mailsTo('alice@example.org').then((mails) => mails.length === 2 && mails));
  expect(closed.map((mail) => mail.body).join('\n')).toContain(`Proposal number ${opened.body.id} of the ccj circle is closed: adopted.`);
  // Only members with an address are told: two notices per event.
  expect(await app.sql(`SELECT kind, count(*)::int AS n FROM circle_notices GROUP BY kind ORDER BY kind`)).toEqual([
    { kind: 'proposal-closed', n: 2 },
    { kind: 'proposal-opened', n: 2 },
  ]);
});

it('a-staff-account-sets-its-own-address-and-only-the-change-is-ledgered', async () => {
  const tech = await person(['technician']);
  expect((await app.http.get(`${V}/me/contact`).set(bearer(tech.token)).expect(200)).body).toEqual({ email: null, language: null });
  const set = await app.http.put(`${V}/me/contact`).set(bearer(tech.token)).send({ email: 'Tech@Example.org', language: 'en' }).expect(200);
  expect(set.body).toEqual({ email: 'tech@example.org', language: 'en' });
  expect((await app.http.get(`${V}/me/contact`).set(bearer(tech.token)).expect(200)).body).toEqual({ email: 'tech@example.org', language: 'en' });
  const [entry] = (await storedLeaves(app)).filter((leaf) => leaf.action === 'account.contact-changed');
  expect(entry.refs).toEqual({ accountId: tech.id, changed: ['email', 'language'] });
  expect(JSON.stringify(entry)).not.toContain('example.org');

  const bad = await app.http.put(`${V}/me/contact`).set(bearer(tech.token)).send({ email: 'not an address', language: 'de' });
  expect(bad.status).toBe(400);
  expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['email', 'language']);
});

it('a-member-account-has-no-address-of-its-own', async () => {
  const tech = await person(['technician']);
  const subscriber = await app.http.post(`${V}/subscribers`).set(bearer(tech.token)).send({ displayName: 'A member', email: 'm@example.org' }).expect(201);
  const refused = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name: 'm', roles: ['member'], subscriberId: subscriber.body.id, email: 'm@example.org' });
  expect(refused.status).toBe(400);
  expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'email' })]);
  const member = await person(['member'], { subscriberId: subscriber.body.id });
  const unprocessable = await app.http.put(`${V}/me/contact`).set(bearer(member.token)).send({ email: 'm@example.org', language: 'fr' });
  expect(unprocessable.status).toBe(422);
  expect((await app.http.put(`${V}/me/contact`).set(bearer(member.token)).send({ email: null, language: 'fr' }).expect(200)).body).toEqual({ email: null, language: 'fr' });
});
