import { CpeMemberData } from '../../src/cpe/cpe-member-data';
import { loadConfig } from '../../src/config/config';
import { startLanterne } from '../../src/server';
import { assign, makePool } from '../factories/network.factory';
import { makeSubscriber, makeSubscription } from '../factories/subscriber.factory';
import { storedLeaves } from '../support/ledger';
import { createTestDatabase, bearer, createTestApp, testEnvironment, TestApp, TestClock } from '../support/test-app';
import { makeWireguardKeys } from '../support/tunnel-association';
import { confirm, lastMessageOf, memberToken, outboxDir, startVerification } from '../support/verification';

/**
 * GET /me/data: a member's export gathers every part of every context that holds their data, reads
 * their identity through the vault's one door (recorded), and nobody else can read it.
 */

const V = '/api/v1';
const dir = outboxDir();
const lookupPurpose = 'ticket 4411: member reports spam sent from this address';

let app: TestApp;
let tech: string;
let member: { id: string; token: string; subscriptionId: string; current: { id: string; prefix: string }; ended: { id: string; prefix: string }; cpeId: string; verificationId: string };
let other: { id: string; token: string; subscriptionId: string };

beforeAll(async () => {
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${dir}` });
  tech = await app.tokenFor('technician');
  const pool = await makePool(app, tech, '192.0.2.0/24', 32);

  // Every category of every context, for one member.
  const subscriber = await makeSubscriber(app, tech, { displayName: 'Alice <b>"&\'</b>', email: 'alice@example.org' });
  const subscription = await makeSubscription(app, tech, subscriber.id, { startsAt: '2025-01-01T00:00:00Z' });
  const verification = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '0470 12 34 56', legalName: 'Alice Martin' });
  const message = await lastMessageOf(app, dir, verification.id);
  expect((await confirm(app, tech, verification.id, message.code)).status).toBe(200);
  const cpe = await app.http.post(`${V}/cpe`).set(bearer(tech)).send({ model: 'Turris Omnia', serial: 'SN-EXPORT-1', macAddresses: ['02:00:00:00:00:01'] }).expect(201);
  await app.http.post(`${V}/cpe/${cpe.body.id}/assign`).set(bearer(tech)).send({ subscriptionId: subscription.id }).expect(200);
  const ended = (await assign(app, tech, subscription.id, { poolId: pool.id, prefix: '192.0.2.20', validFrom: '2025-02-01T00:00:00Z' })).body;
  await app.http.post(`${V}/ip-assignments/${ended.id}/release`).set(bearer(tech)).send({ at: '2025-06-01T00:00:00Z' }).expect(200);
  const current = (await assign(app, tech, subscription.id, { poolId: pool.id, prefix: '192.0.2.21', validFrom: '2025-06-02T00:00:00Z' })).body;
  await app.http.put(`${V}/subscriptions/${subscription.id}/tunnel`).set(bearer(tech)).send({ underlayMtu: 1500, layers: ['ipv6', 'udp', 'wireguard'], carries: ['ipv4', 'ipv6'] }).expect(200);
  await app.http.put(`${V}/subscriptions/${subscription.id}/tunnel/peer`).set(bearer(tech)).send({ type: 'wireguard', publicKey: makeWireguardKeys().publicKey }).expect(200);
  await app.http.put(`${V}/subscriptions/${subscription.id}/reverse-dns`).set(bearer(tech)).send({ address: '192.0.2.21', name: 'alice.example.org' }).expect(200);
  // A technician's historic lookup, with its purpose: the member will read who (by role) looked and why.
  await app.http.get(`${V}/ip-assignments`).query({ address: '192.0.2.20', at: '2025-03-01T00:00:00Z', purpose: lookupPurpose, purposeCategory: 'support' }).set(bearer(tech)).expect(200);
  member = { id: subscriber.id, token: await memberToken(app, subscriber.id), subscriptionId: subscription.id, current, ended, cpeId: cpe.body.id, verificationId: verification.id };

  const second = await makeSubscriber(app, tech);
  const secondSubscription = await makeSubscription(app, tech, second.id);
  await assign(app, tech, secondSubscription.id, { poolId: pool.id, prefix: '192.0.2.30' });
  other = { id: second.id, token: await memberToken(app, second.id), subscriptionId: secondSubscription.id };
});
afterAll(() => app.close());

const exportOf = (token: string, query: Record<string, string> = {}) => app.http.get(`${V}/me/data`).query(query).set(bearer(token));

describe('the export', () => {
  let body: Record<string, any>;
  beforeAll(async () => {
    const r = await exportOf(member.token).expect(200);
    body = r.body;
  });

  it('answers-exactly-the-sections-of-the-contract', () => {
    expect(Object.keys(body).sort()).toEqual(['accessLog', 'cpe', 'identity', 'ipAssignments', 'legalRequests', 'retention', 'subscriber', 'subscriptions', 'tunnels', 'verifications'].sort());
  });

  it('holds-every-category-of-every-context-for-the-member', () => {
    expect(body.subscriber).toMatchObject({ id: member.id, displayName: 'Alice <b>"&\'</b>', email: 'alice@example.org', status: 'active', rectifications: [] });
    expect(body.subscriptions).toEqual([expect.objectContaining({ id: member.subscriptionId, service: 'vpn', startsAt: '2025-01-01T00:00:00.000Z' })]);
    expect(body.identity).toEqual({ legalName: 'Alice Martin', verifiedContact: expect.objectContaining({ method: 'sms', value: '+32470123456', verifiedAt: expect.any(String) }) });
    expect(body.verifications).toEqual([expect.objectContaining({ id: member.verificationId, method: 'sms', status: 'verified' })]);
    expect(body.cpe).toEqual([expect.objectContaining({ subscriptionId: member.subscriptionId, model: 'Turris Omnia', serial: 'SN-EXPORT-1', macAddresses: ['02:00:00:00:00:01'], returnedAt: null })]);
    expect(body.ipAssignments).toEqual([
      expect.objectContaining({ id: member.ended.id, prefix: member.ended.prefix, validUntil: '2025-06-01T00:00:00.000Z', reverseDns: [] }),
      expect.objectContaining({ id: member.current.id, prefix: member.current.prefix, validUntil: null, reverseDns: [expect.objectContaining({ address: '192.0.2.21', name: 'alice.example.org', clearedAt: null })] }),
    ]);
    expect(body.tunnels).toEqual([
      { subscriptionId: member.subscriptionId, settings: expect.objectContaining({ underlayMtu: 1500, innerMtu: 1420 }), peer: expect.objectContaining({ type: 'wireguard', publicKey: expect.any(String) }) },
    ]);
    expect(body.legalRequests).toEqual([]);
  });

  it('shows-who-looked-by-role-and-why-never-the-account', () => {
    const lookup = body.accessLog.find((entry: { action: string }) => entry.action === 'ip-history.looked-up');
    expect(lookup).toEqual({ index: expect.any(Number), at: expect.any(String), actorRole: 'technician', action: 'ip-history.looked-up', purposeCategory: 'support', purpose: lookupPurpose, purposeErased: false });
    for (const entry of body.accessLog) expect(Object.keys(entry).sort()).toEqual(['action', 'actorRole', 'at', 'index', 'purpose', 'purposeCategory', 'purposeErased']);
  });

  it('records-its-own-identity-read-as-member-request-and-lists-it', async () => {
    const reads = (await storedLeaves(app)).filter((leaf) => leaf.action === 'identity.read' && leaf.subject === member.id);
    expect(reads.length).toBeGreaterThanOrEqual(1);
    expect(reads.at(-1)).toMatchObject({ actor: { role: 'member' }, purposeCategory: 'member-request', refs: { found: true } });
    expect(body.accessLog.at(-1)).toMatchObject({ action: 'identity.read', actorRole: 'member', purposeCategory: 'member-request', purpose: 'export of my data' });
  });

  it('dates-each-category-from-the-policies-in-force', () => {
    const category = (name: string) => body.retention.find((c: { category: string }) => c.category === name);
    expect(category('ip-assignments')).toMatchObject({
      legalBasis: { article: expect.stringMatching(/^GDPR art\. 6\(1\)/) },
      retention: { policy: 'ip-history', days: 365, enforced: true },
      dates: [
        { id: member.ended.id, keptUntil: '2026-06-01T00:00:00.000Z' },
        { id: member.current.id, keptUntil: null },
      ],
    });
    // Not terminated: identity and subscription data are kept while the membership lasts.
    expect(category('identity')).toMatchObject({ retention: { policy: 'identity', days: 365 }, dates: [{ keptUntil: null }] });
    for (const c of body.retention) {
      expect(c).toEqual(expect.objectContaining({ purpose: expect.any(String), source: expect.any(String), recipients: expect.arrayContaining([expect.any(String)]) }));
    }
  });

  it('downloads-as-a-json-file-not-kept-by-caches', async () => {
    const r = await exportOf(member.token).expect(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="my-data-${app.clock.now().toISOString().slice(0, 10)}.json"`);
    expect(r.headers['cache-control']).toBe('no-store');
  });

  it('renders-an-html-page-that-escapes-every-value-and-carries-no-script', async () => {
    const r = await exportOf(member.token, { format: 'html' }).expect(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.text).toContain('Alice &lt;b&gt;&quot;&amp;&#x27;&lt;/b&gt;');
    expect(r.text).not.toContain('<b>');
    expect(r.text).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
    expect(r.text).toContain('alice.example.org');
    expect(r.text).toContain(lookupPurpose);
  });
});

describe('who may read it', () => {
  it('a-member-sees-only-their-own-subscriber', async () => {
    const r = await exportOf(other.token).expect(200);
    expect(r.body.subscriber.id).toBe(other.id);
    const text = JSON.stringify(r.body);
    for (const id of [member.id, member.subscriptionId, member.current.id, member.ended.id, member.verificationId]) expect(text).not.toContain(id);
    expect(r.body.identity).toBeNull();
  });

  it('takes-no-id-so-none-can-be-guessed', async () => {
    expect((await app.http.get(`${V}/me/data/${member.id}`).set(bearer(other.token))).status).toBe(404);
    const r = await exportOf(other.token, { subscriberId: member.id });
    expect(r.status).toBe(400);
  });

  it('refuses-staff-roles-and-anonymous-callers', async () => {
    for (const token of [tech, app.adminToken, await app.tokenFor('ccj')]) {
      const r = await exportOf(token);
      expect(r.status).toBe(403);
      expect(r.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    expect((await app.http.get(`${V}/me/data`)).status).toBe(401);
  });

  it('an-unknown-format-is-a-400-naming-it', async () => {
    const r = await exportOf(member.token, { format: 'pdf' });
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { path: string }) => e.path)).toEqual(['format']);
  });
});

describe('the public data map', () => {
  it('states-what-is-held-for-how-long-and-what-can-be-compelled-without-a-token', async () => {
    const r = await app.http.get(`${V}/public/data-map`).expect(200);
    expect(r.body).toMatchObject({ jurisdiction: 'be', compellable: { identification: expect.any(Object), trafficData: expect.any(Object), interception: expect.any(Object) } });
    expect(r.body.compellable.trafficData.statement).toMatch(/no traffic data/);
    const identity = r.body.categories.find((c: { category: string }) => c.category === 'identity');
    expect(identity).toMatchObject({ compellable: true, retention: { policy: 'identity', days: 365, source: { citation: expect.stringContaining('art. 126') } } });
    expect(r.body.categories.filter((c: { compellable: boolean }) => c.compellable).map((c: { category: string }) => c.category).sort()).toEqual(['identity', 'ip-assignments', 'subscriber-record']);
  });

  it('follows-an-admins-override', async () => {
    await app.http.put(`${V}/admin/retention/policies/ip-history`).set(bearer(app.adminToken)).send({ days: 200 }).expect(200);
    const r = await app.http.get(`${V}/public/data-map`).expect(200);
    expect(r.body.categories.find((c: { category: string }) => c.category === 'ip-assignments').retention.days).toBe(200);
    const mine = await exportOf(member.token).expect(200);
    expect(mine.body.retention.find((c: { category: string }) => c.category === 'ip-assignments').dates[0].keptUntil).toBe('2025-12-18T00:00:00.000Z');
    await app.http.put(`${V}/admin/retention/policies/ip-history`).set(bearer(app.adminToken)).send({ days: 365 }).expect(200);
  });

  it('renders-as-a-page', async () => {
    const r = await app.http.get(`${V}/public/data-map`).query({ format: 'html' }).expect(200);
    expect(r.headers['content-type']).toMatch(/^text\/html/);
    expect(r.text).toContain('what can be compelled');
    expect(r.text).not.toMatch(/<script/i);
  });
});

describe('start-up', () => {
  it('refuses-to-boot-when-a-context-registers-no-part-of-the-export', async () => {
    const database = await createTestDatabase();
    const skip = jest.spyOn(CpeMemberData.prototype, 'onModuleInit').mockImplementation(() => undefined);
    try {
      await expect(startLanterne(loadConfig(testEnvironment(database.url)), { clock: new TestClock() })).rejects.toThrow('Member data providers not registered: cpe');
    } finally {
      skip.mockRestore();
      await database.drop();
    }
  });
});
