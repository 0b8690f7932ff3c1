import { makePool } from '../factories/network.factory';
import { ccjActor, discloseAbout, makeMember, MemberFixture, receiveRequest } from '../legal-requests/concerned-members';
import { storedLeaves } from '../support/ledger';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { confirm, lastMessageOf, outboxDir, startVerification } from '../support/verification';
import { cookieHeader, CookieJar, formToken, HTML, pageFor, signedIn } from '../support/web-session';

/**
 * A member's pages: their export read through the same service as GET /api/v1/me/data, their access
 * log, the requests that concerned them once the gag is over, the download, the rectification form;
 * only theirs, only for members.
 */

const V = '/api/v1';
const dir = outboxDir();
const lookupPurpose = 'ticket 4411: spam reported from this address';
const gagUntil = '2026-09-01T00:00:00.000Z';

let app: TestApp;
let tech: string;
let alice: MemberFixture;
let bruno: MemberFixture;
let aliceJar: CookieJar;
let brunoJar: CookieJar;

const identityReadsOf = async (subscriberId: string) => (await storedLeaves(app)).filter((leaf) => leaf.action === 'identity.read' && leaf.subject === subscriberId).length;

beforeAll(async () => {
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${dir}` });
  tech = await app.tokenFor('technician');
  const poolId = (await makePool(app, tech, '192.0.2.0/24', 32)).id;
  alice = await makeMember(app, tech, poolId);
  bruno = await makeMember(app, tech, poolId);
  const verification = await startVerification(app, tech, alice.subscriberId, { method: 'sms', phone: '0470 12 34 56', legalName: 'Alice <b>Martin</b>' });
  expect((await confirm(app, tech, verification.id, (await lastMessageOf(app, dir, verification.id)).code)).status).toBe(200);
  // A past instant's lookup is recorded, with Alice as its subject.
  const assignedAt = app.clock.now().toISOString();
  app.clock.advance(60_000);
  await app.http.get(`${V}/ip-assignments`).query({ address: alice.address, at: assignedAt, purpose: lookupPurpose, purposeCategory: 'support' }).set(bearer(tech)).expect(200);
  aliceJar = await signedIn(app, alice.token);
  brunoJar = await signedIn(app, bruno.token);
});
afterAll(() => app.close());

describe('what we hold about you', () => {
  let html: string;
  let readsBefore: number;
  beforeAll(async () => {
    readsBefore = await identityReadsOf(alice.subscriberId);
    const page = await pageFor(app, aliceJar, '/me').expect(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    html = page.text;
  });

  it('shows-the-identity-decrypted-for-the-member-escaped', () => {
    expect(html).toContain('Alice &lt;b&gt;Martin&lt;/b&gt;');
    expect(html).not.toContain('<b>Martin');
    expect(html).toContain('+32470123456');
    expect(html).toContain(`<dd>${alice.memberNumber}</dd>`);
  });

  it('groups-the-export-by-category-with-purpose-legal-basis-and-retention', () => {
    expect(html).toContain('<h3 id="category-ip-assignments">IP addresses</h3>');
    expect(html).toContain('GDPR art. 6(1)(b) and (c)');
    expect(html).toContain('Routing the member&#x27;s addresses');
    expect(html).toContain('365 days after');
    expect(html).toContain(alice.address);
    // A current assignment, a membership not terminated: kept while it lasts.
    expect(html).toContain('while your membership lasts');
  });

  it('links-the-other-pages-and-the-download', () => {
    for (const href of ['/me/access-log', '/me/legal-requests', '/me/rectifications', '/me/data.json']) expect(html).toContain(`href="${href}"`);
  });

  it('runs-the-export-once-so-one-identity-read-is-recorded', async () => {
    expect(await identityReadsOf(alice.subscriberId)).toBe(readsBefore + 1);
    const [last] = (await storedLeaves(app)).filter((leaf) => leaf.action === 'identity.read' && leaf.subject === alice.subscriberId).slice(-1);
    expect(last).toMatchObject({ actor: { role: 'member' }, purposeCategory: 'member-request' });
  });

  it('reads-no-identity-to-show-the-access-log-or-the-legal-requests', async () => {
    const before = await identityReadsOf(alice.subscriberId);
    for (const path of ['/me/access-log', '/me/legal-requests']) await pageFor(app, aliceJar, path).expect(200);
    expect(await identityReadsOf(alice.subscriberId)).toBe(before);
  });
});

it('the-access-log-shows-each-entry-with-its-date-role-action-and-purpose', async () => {
  const html = (await pageFor(app, aliceJar, '/me/access-log').expect(200)).text;
  expect(html).toContain(lookupPurpose);
  expect(html).toMatch(/<td>technician<\/td>\s*<td>address history looked up <code class="code">ip-history\.looked-up<\/code><\/td>\s*<td>support<\/td>/);
  expect(html).toContain('identity read');
  expect(html).toContain('your own request');
  expect(html).toMatch(/<time datetime="2026-06-01T12:01:00.000Z">2026-06-01T12:01:00.000Z<\/time>/);
});

it('a-second-member-sees-only-their-own-data-on-every-page', async () => {
  const own = { number: String(bruno.memberNumber), address: bruno.address };
  for (const path of ['/me', '/me/access-log', '/me/legal-requests', '/me/rectifications']) {
    const html = (await pageFor(app, brunoJar, path).expect(200)).text;
    for (const other of ['Alice', '+32470123456', alice.address, alice.subscriberId, alice.email, lookupPurpose]) expect(html).not.toContain(other);
    if (path === '/me') {
      expect(html).toContain(`<dd>${own.number}</dd>`);
      expect(html).toContain(own.address);
      expect(html).toContain('No identity has been verified for you yet.');
    }
  }
  const download = await pageFor(app, brunoJar, '/me/data.json').expect(200);
  expect(JSON.parse(download.text).subscriber.id).toBe(bruno.subscriberId);
});

it('the-download-is-the-apis-export-as-a-json-attachment', async () => {
  const download = await pageFor(app, aliceJar, '/me/data.json').expect(200);
  expect(download.headers['content-type']).toMatch(/^application\/json/);
  expect(download.headers['content-disposition']).toBe(`attachment; filename="my-data-${app.clock.now().toISOString().slice(0, 10)}.json"`);
  expect(download.headers['cache-control']).toBe('no-store');
  const fromPage = JSON.parse(download.text);
  const fromApi = (await app.http.get(`${V}/me/data`).set(bearer(alice.token)).expect(200)).body;
  // Each export records its own identity read: the API's one more entry is the only difference.
  expect(fromApi.accessLog.slice(0, -1)).toEqual(fromPage.accessLog);
  expect({ ...fromApi, accessLog: [] }).toEqual({ ...fromPage, accessLog: [] });
});

describe('who may read these pages', () => {
  const paths = ['/me', '/me/access-log', '/me/legal-requests', '/me/rectifications', '/me/data.json'];

  it('sends-a-signed-out-browser-to-sign-in-and-back', async () => {
    for (const path of paths) {
      const answer = await app.http.get(path).set(HTML).expect(303);
      expect(answer.headers.location).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
    }
  });

  it('refuses-every-other-role-with-a-403-page', async () => {
    for (const role of ['technician', 'admin', 'ccj', 'observer']) {
      const jar = await signedIn(app, role === 'admin' ? app.adminToken : await app.tokenFor(role));
      for (const path of paths) {
        const answer = await pageFor(app, jar, path);
        expect(answer.status).toBe(403);
        expect(answer.text).toContain('This page is for: member.');
      }
    }
  });
});

describe('the rectification form', () => {
  const rectifications = async () => (await app.http.get(`${V}/me/rectifications`).set(bearer(alice.token)).expect(200)).body.items;
  const post = (jar: CookieJar, body: Record<string, string>) => app.http.post('/me/rectifications').set({ ...HTML, cookie: cookieHeader(jar) }).type('form').send(body);
  let token: string;
  beforeAll(async () => {
    token = formToken((await pageFor(app, aliceJar, '/me/rectifications').expect(200)).text);
  });

  it('refuses-a-form-without-its-token-and-writes-nothing', async () => {
    const refused = await post(aliceJar, { field: 'displayName', proposedValue: 'Alice M.' });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('did not come from Lanterne');
    expect(await rectifications()).toEqual([]);
  });

  it('an-identity-field-re-renders-the-form-with-the-services-422-message', async () => {
    const refused = await post(aliceJar, { _csrf: token, field: 'legalName', proposedValue: 'Alice Dupont', note: '' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('legalName is part of the verified identity: it is corrected by a new verification');
    expect(refused.text).toContain('value="Alice Dupont"');
    expect(refused.text).toMatch(/<option value="legalName" selected>/);
    expect(await rectifications()).toEqual([]);
  });

  it('a-bad-value-re-renders-the-form-and-an-unknown-field-is-a-400-page', async () => {
    const badEmail = await post(aliceJar, { _csrf: token, field: 'email', proposedValue: 'not an address' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.text).toContain('The proposed value is not a valid email');
    const unknown = await post(aliceJar, { _csrf: token, field: 'memberNumber', proposedValue: '1' });
    expect(unknown.status).toBe(400);
    expect(unknown.headers['content-type']).toContain('text/html');
    expect(unknown.text).toContain('field');
    expect(await rectifications()).toEqual([]);
  });

  it('a-valid-request-is-recorded-and-shown-pending', async () => {
    const sent = await post(aliceJar, { _csrf: token, field: 'displayName', proposedValue: 'Alice M.', note: 'my usual name' });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe('/me/rectifications?sent=1');
    const page = (await pageFor(app, aliceJar, sent.headers.location).expect(200)).text;
    expect(page).toContain('Your request was sent: a technician will resolve it.');
    expect(page).toMatch(/<td><code>displayName<\/code><\/td>\s*<td>Alice M\.<\/td>\s*<td>waiting for a technician<\/td>/);
    expect(await rectifications()).toEqual([expect.objectContaining({ field: 'displayName', proposedValue: 'Alice M.', note: 'my usual name', status: 'pending' })]);
    const again = await post(aliceJar, { _csrf: token, field: 'displayName', proposedValue: 'Alice Ma.' });
    expect(again.status).toBe(409);
    expect(again.text).toContain('already waiting for a technician');
    // Bruno's page shows none of it.
    expect((await pageFor(app, brunoJar, '/me/rectifications')).text).not.toContain('Alice M.');
  });
});

describe('a legal request under a gag', () => {
  let requestId: string;
  beforeAll(async () => {
    const ccj = await app.tokenFor('ccj');
    requestId = await receiveRequest(app, ccj, { gagUntil, selectors: [{ address: alice.address, at: app.clock.now().toISOString() }] });
    await discloseAbout(app, await ccjActor(app, ccj), requestId, alice);
  });

  it('is-invisible-to-the-member-before-gag-until', async () => {
    app.clock.set(new Date(new Date(gagUntil).getTime() - 60_000));
    const jar = await signedIn(app, alice.token);
    const page = (await pageFor(app, jar, '/me/legal-requests').expect(200)).text;
    expect(page).toContain('No legal request that concerned you can be shown');
    expect(page).not.toContain('Juge d’instruction de Liège');
    const log = (await pageFor(app, jar, '/me/access-log').expect(200)).text;
    expect(log).not.toContain('identity disclosed to an authority');
    expect(log).not.toContain('legal request');
    expect((await pageFor(app, jar, '/me').expect(200)).text).not.toContain('Liège');
  });

  it('is-shown-once-the-gag-has-passed-with-what-was-disclosed-and-never-its-reference', async () => {
    app.clock.set(gagUntil);
    const jar = await signedIn(app, alice.token);
    const page = (await pageFor(app, jar, '/me/legal-requests').expect(200)).text;
    expect(page).toContain('Juge d’instruction de Liège');
    expect(page).toContain('Code d&#x27;instruction criminelle, art. 46bis');
    expect(page).toContain('identification');
    for (const field of ['memberNumber', 'legalName', 'verifiedContact']) expect(page).toContain(`<code>${field}</code>`);
    expect(page).not.toContain('LG.77.XY.2026/9');
    expect((await pageFor(app, jar, '/me/access-log')).text).toContain('identity disclosed to an authority');
    // Bruno was not concerned.
    const other = (await pageFor(app, await signedIn(app, bruno.token), '/me/legal-requests')).text;
    expect(other).toContain('No legal request that concerned you can be shown');
  });
});
