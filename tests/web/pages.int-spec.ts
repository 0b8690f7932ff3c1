import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storedLeaves } from '../support/ledger';
import { eventually, outboxFiles } from '../support/outbox';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { cookieHeader, cookiesFrom, formToken, HTML } from '../support/web-session';

let app: TestApp;
let dir: string;
/** A browser's first visit: the sign-in page, its form cookie and token. */
async function visitSignIn(lang = 'en'): Promise<{ jar: Record<string, string>; token: string; html: string }> {
  const page = await app.http.get('/sign-in').set({ ...HTML, 'accept-language': lang });
  expect(page.status).toBe(200);
  return { jar: cookiesFrom(page), token: formToken(page.text), html: page.text };
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanterne-pages-'));
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${dir}`, LANTERNE_PUBLIC_URL: 'https://lanterne.example.org/' });
});
afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

it('public-pages-are-html-in-the-visitors-language-under-a-strict-policy', async () => {
  const home = await app.http.get('/').set({ ...HTML, 'accept-language': 'en-GB,en;q=0.9' });
  expect(home.status).toBe(200);
  expect(home.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(home.text).toContain('<html lang="en">');
  const policy = Object.fromEntries((home.headers['content-security-policy'] as string).split(';').map((d) => [d.trim().split(' ')[0], d.trim().split(' ').slice(1).join(' ')]));
  expect(policy).toEqual({ 'default-src': "'none'", 'style-src': "'self'", 'img-src': "'self' data:", 'form-action': "'self'", 'frame-ancestors': "'none'", 'base-uri': "'none'" });
  expect(home.headers['x-content-type-options']).toBe('nosniff');
  expect(home.text).not.toMatch(/<script|style=/);
  const french = await app.http.get('/checkpoint').set({ ...HTML, 'accept-language': 'fr-BE' });
  expect(french.text).toContain('<html lang="fr">');
  expect(french.text).toContain('Point de contrôle du registre');
  const css = await app.http.get('/assets/style.css');
  expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
  // The API keeps its own names and answers: /api/v1/me is JSON, /me is a page.
  expect((await app.http.get('/api/v1/me').set(bearer(app.adminToken))).body.roles).toEqual(['admin']);
  expect((await app.http.get('/health')).body.status).toBeDefined();
});

it('a-page-for-signed-in-people-sends-a-browser-to-sign-in-and-an-unknown-page-is-a-404-page', async () => {
  const missing = await app.http.get('/no-such-page').set(HTML);
  expect(missing.status).toBe(404);
  expect(missing.headers['content-type']).toContain('text/html');
  // A client that does not ask for HTML keeps problem+json.
  expect((await app.http.get('/no-such-page')).headers['content-type']).toContain('application/problem+json');
  const everywhere = await app.http.post('/sign-out/everywhere').set(HTML).type('form').send({ _csrf: 'x' });
  expect(everywhere.status).toBe(403);
});

it('staff-exchange-their-token-for-a-session-cookie-and-sign-out-everywhere', async () => {
  const { jar, token } = await visitSignIn();
  const refused = await app.http.post('/sign-in/token').set({ ...HTML, cookie: cookieHeader(jar) }).type('form').send({ _csrf: token, token: 'lnt_wrong' });
  expect(refused.status).toBe(401);
  expect(refused.text).toContain('This token is not valid.');

  const signedIn = await app.http.post('/sign-in/token').set({ ...HTML, cookie: cookieHeader(jar) }).type('form').send({ _csrf: token, token: app.adminToken, next: '/checkpoint' });
  expect(signedIn.status).toBe(303);
  expect(signedIn.headers.location).toBe('/checkpoint');
  const sessionCookie = (signedIn.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('lanterne_session='));
  expect(sessionCookie).toMatch(/HttpOnly/);
  expect(sessionCookie).toMatch(/SameSite=Strict/);
  const withSession = cookiesFrom(signedIn, jar);
  const home = await app.http.get('/').set({ ...HTML, cookie: cookieHeader(withSession) });
  expect(home.text).toContain('Signed in as bootstrap admin');
  // The token itself is never kept: only a hash of the cookie is stored.
  expect(JSON.stringify(await app.sql('SELECT * FROM web_sessions'))).not.toContain(withSession.lanterne_session);

  const out = await app.http.post('/sign-out/everywhere').set({ ...HTML, cookie: cookieHeader(withSession) }).type('form').send({ _csrf: formToken(home.text) });
  expect(out.status).toBe(200);
  expect(out.text).toContain('You are signed out on every device.');
  const after = await app.http.get('/').set({ ...HTML, cookie: cookieHeader(withSession) });
  expect(after.text).not.toContain('Signed in as');
  expect((await storedLeaves(app)).map((leaf) => leaf.action)).toEqual(expect.arrayContaining(['account.session-opened', 'account.sessions-ended']));
});

it('a-form-posted-without-its-token-is-refused-and-changes-nothing', async () => {
  const { jar } = await visitSignIn();
  const before = await app.sql('SELECT count(*)::int AS n FROM web_sessions');
  const forged = await app.http.post('/sign-in/token').set({ ...HTML, cookie: cookieHeader(jar) }).type('form').send({ token: app.adminToken });
  expect(forged.status).toBe(403);
  expect(forged.text).toContain('did not come from Lanterne');
  const otherVisitor = await visitSignIn();
  const crossed = await app.http.post('/sign-in/token').set({ ...HTML, cookie: cookieHeader(jar) }).type('form').send({ _csrf: otherVisitor.token, token: app.adminToken });
  expect(crossed.status).toBe(403);
  expect(await app.sql('SELECT count(*)::int AS n FROM web_sessions')).toEqual(before);
  // The API still takes JSON only.
  expect((await app.http.post('/api/v1/users').set(bearer(app.adminToken)).type('form').send({ name: 'x' })).status).toBe(415);
});

it('a-member-signs-in-with-a-one-time-link-sent-to-their-address', async () => {
  const technician = await app.tokenFor('technician');
  const subscriber = await app.http.post('/api/v1/subscribers').set(bearer(technician)).send({ displayName: 'Camille', email: 'camille@example.org', language: 'en' }).expect(201);
  await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'Camille', roles: ['member'], subscriberId: subscriber.body.id }).expect(201);

  const { jar, token } = await visitSignIn();
  for (const email of ['Camille@Example.org', 'nobody@example.org']) {
    const asked = await app.http.post('/sign-in/link').set({ ...HTML, cookie: cookieHeader(jar) }).type('form').send({ _csrf: token, email });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('If this address belongs to a member, a sign-in link is on its way.');
  }
  const [mail] = await eventually(async () => {
    const mails = [...(await outboxFiles(dir)).values()].filter((m) => m.to === 'camille@example.org');
    return mails.length === 1 && mails;
  });
  const link = /https:\/\/lanterne\.example\.org(\/sign-in\/link\/\S+)/.exec(mail.body as string)?.[1] as string;
  expect(link).toBeDefined();
  expect([...(await outboxFiles(dir)).values()].some((m) => m.to === 'nobody@example.org')).toBe(false);
  const [sent] = (await storedLeaves(app)).filter((leaf) => leaf.action === 'account.sign-in-link-sent');
  expect(sent).toMatchObject({ actor: { id: null, role: 'system' }, subject: subscriber.body.id });

  // Opening the link only asks; the button signs in, once.
  const confirm = await app.http.get(link).set({ ...HTML, cookie: cookieHeader(jar) });
  expect(confirm.text).toContain('This link works once.');
  const used = await app.http.post(link).set({ ...HTML, cookie: cookieHeader(jar) }).type('form').send({ _csrf: formToken(confirm.text) });
  expect(used.status).toBe(303);
  const member = cookiesFrom(used, jar);
  expect((await app.http.get('/').set({ ...HTML, cookie: cookieHeader(member) })).text).toContain('Signed in as Camille');
  const again = await app.http.post(link).set({ ...HTML, cookie: cookieHeader(jar) }).type('form').send({ _csrf: formToken(confirm.text) });
  expect(again.status).toBe(410);
  const altered = await app.http.get(`${link.slice(0, -3)}abc`).set({ ...HTML, cookie: cookieHeader(jar) });
  expect(altered.text).toContain('This link has already been used or has expired.');
});

it('sessions-end-when-idle', async () => {
  const { jar, token } = await visitSignIn();
  const signedIn = await app.http.post('/sign-in/token').set({ ...HTML, cookie: cookieHeader(jar) }).type('form').send({ _csrf: token, token: app.adminToken });
  expect(signedIn.status).toBe(303);
  const session = cookiesFrom(signedIn, jar);
  expect((await app.http.get('/').set({ ...HTML, cookie: cookieHeader(session) })).text).toContain('Signed in as');
  app.clock.advance(31 * 60_000);
  expect((await app.http.get('/').set({ ...HTML, cookie: cookieHeader(session) })).text).not.toContain('Signed in as');
});

it('the-language-switch-is-kept-in-a-cookie', async () => {
  const { jar, token } = await visitSignIn('fr');
  const switched = await app.http.post('/language').set({ ...HTML, cookie: cookieHeader(jar) }).type('form').send({ _csrf: token, lang: 'en', back: '/checkpoint' });
  expect(switched.status).toBe(303);
  expect(switched.headers.location).toBe('/checkpoint');
  const page = await app.http.get('/checkpoint').set({ ...HTML, 'accept-language': 'fr', cookie: cookieHeader(cookiesFrom(switched, jar)) });
  expect(page.text).toContain('<html lang="en">');
  const offsite = await app.http.post('/language').set({ ...HTML, cookie: cookieHeader(jar) }).type('form').send({ _csrf: token, lang: 'en', back: '//evil.example' });
  expect(offsite.status).toBe(400);
});

it('wrong-tokens-on-the-sign-in-form-count-against-the-client-as-on-the-api', async () => {
  const { jar, token } = await visitSignIn();
  const client = { ...HTML, cookie: cookieHeader(jar), 'x-forwarded-for': '203.0.113.41' };
  let last = 0;
  for (let i = 0; i < 25 && last !== 429; i++) last = (await app.http.post('/sign-in/token').set(client).type('form').send({ _csrf: token, token: 'lnt_wrong' })).status;
  expect(last).toBe(429);
  const refused = await app.http.post('/sign-in/token').set(client).type('form').send({ _csrf: token, token: 'lnt_wrong' });
  expect(refused.headers['retry-after']).toMatch(/^\d+$/);
  // The right token still opens a session: authentication comes before the count.
  expect((await app.http.post('/sign-in/token').set(client).type('form').send({ _csrf: token, token: app.adminToken })).status).toBe(303);
});

it('behind-a-tls-proxy-the-session-and-form-cookies-are-secure', async () => {
  const tls = { ...HTML, 'x-forwarded-proto': 'https' };
  const page = await app.http.get('/sign-in').set(tls);
  const formCookie = (page.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('lanterne_form='));
  expect(formCookie).toMatch(/; Secure/);
  const signedIn = await app.http.post('/sign-in/token').set({ ...tls, cookie: cookieHeader(cookiesFrom(page)) }).type('form').send({ _csrf: formToken(page.text), token: app.adminToken });
  const session = (signedIn.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('lanterne_session='));
  expect(session).toMatch(/; Secure/);
  // Plain HTTP (embedded mode on a laptop) keeps them usable.
  const plain = await app.http.get('/sign-in').set(HTML);
  expect((plain.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('lanterne_form='))).not.toMatch(/Secure/);
});
