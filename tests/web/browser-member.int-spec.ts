import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { makePool, assign } from '../factories/network.factory';
import { makeSubscriber, makeSubscription } from '../factories/subscriber.factory';
import { checkPage, launchBrowser, visitor } from '../support/browser';
import { eventually, outboxFiles } from '../support/outbox';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { confirm, lastMessageOf, startVerification } from '../support/verification';

/**
 * A member in a real browser: signs in by the one-time link the outbox wrote, reads what the
 * association holds about them and who looked at it, asks for a correction; every page checked with
 * axe and kept as a screenshot, on a desktop in English and on a phone in French.
 */

const V = '/api/v1';
const EMAIL = 'camille@example.org';
const lookupPurpose = 'ticket 5120: line down since Monday';

let app: TestApp;
let browser: Browser;
let dir: string;

/** A port free now, so that the instance can be told its own public URL before it starts. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lanterne-browser-member-'));
  const port = await freePort();
  app = await createTestApp({ PORT: String(port), LANTERNE_PUBLIC_URL: `http://127.0.0.1:${port}`, LANTERNE_OUTBOX: `file:${dir}` });
  // The session cookie expires by the instance's clock, and the browser judges it by its own: they must agree.
  app.clock.set(new Date());
  const tech = await app.tokenFor('technician');
  const pool = await makePool(app, tech, '192.0.2.0/24', 32);
  const subscriber = await makeSubscriber(app, tech, { displayName: 'Camille', email: EMAIL, language: 'en' });
  const subscription = await makeSubscription(app, tech, subscriber.id);
  const held = (await assign(app, tech, subscription.id, { poolId: pool.id, prefix: '192.0.2.40' })).body;
  const verification = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '0470 99 88 77', legalName: 'Camille Lenoir' });
  expect((await confirm(app, tech, verification.id, (await lastMessageOf(app, dir, verification.id)).code)).status).toBe(200);
  app.clock.advance(60_000);
  await app.http.get(`${V}/ip-assignments`).query({ address: '192.0.2.40', at: held.validFrom, purpose: lookupPurpose, purposeCategory: 'troubleshooting' }).set(bearer(tech)).expect(200);
  await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name: 'Camille', roles: ['member'], subscriberId: subscriber.id }).expect(201);
  // A year below the transparency minimum and one above, so that the chart has both kinds of bar.
  const ccj = await app.tokenFor('ccj');
  for (const receivedAt of ['2025-03-01T10:00:00Z', '2025-04-01T10:00:00Z', ...[10, 11, 12, 13, 14, 15].map((day) => `2026-02-${day}T10:00:00Z`)]) {
    await app.http
      .post(`${V}/legal-requests`)
      .set(bearer(ccj))
      .send({ authority: 'Parquet de Namur', reference: `NA.${receivedAt}`, legalBasis: "Code d'instruction criminelle, art. 46bis", kind: 'identification', receivedAt, selectors: [{ address: '198.51.100.7', at: '2025-01-01T00:00:00Z' }] })
      .expect(201);
  }
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

/** The links sent to the member so far, as paths of this instance. */
async function linksSent(): Promise<string[]> {
  const mails = [...(await outboxFiles(dir)).values()].filter((mail) => mail.to === EMAIL && /\/sign-in\/link\//.test(String(mail.body)));
  return mails.map((mail) => new URL(/(http:\/\/\S+\/sign-in\/link\/\S+)/.exec(String(mail.body))?.[1] as string).pathname);
}

/** Asks for a link on /sign-in, opens it from the outbox and presses its button: the member is signed in. */
async function signInByLink(page: Page, label: string): Promise<void> {
  const before = new Set(await linksSent());
  await page.goto('/sign-in');
  await checkPage(page, `member-sign-in-${label}`);
  await page.fill('#email', EMAIL);
  await page.click('form[action="/sign-in/link"] button');
  await page.waitForSelector('p.notice');
  const link = await eventually(async () => (await linksSent()).find((path) => !before.has(path)));
  // The link names this instance: LANTERNE_PUBLIC_URL is its own address.
  expect(new URL(page.url()).origin).toBe(app.lanterne.url);
  await page.goto(link);
  await checkPage(page, `member-sign-in-link-${label}`);
  await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.click('form[action^="/sign-in/link/"] button')]);
  expect(await page.textContent('.account')).toContain('Camille');
}

async function visit(page: Page, path: string, label: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status()).toBe(200);
  // Not sent to sign in: the page itself.
  expect(new URL(page.url()).pathname).toBe(path);
  await checkPage(page, `${path === '/me' ? 'member-me' : path.replace(/^\//, '').replaceAll('/', '-')}-${label}`);
}

describe('a member in the browser', () => {
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    context = await visitor(browser, app.lanterne.url as string, { locale: 'en-GB' });
    page = await context.newPage();
    await signInByLink(page, 'en');
  });
  afterAll(() => context.close());

  it('reads-what-is-held-about-them-with-their-identity', async () => {
    await visit(page, '/me', 'en');
    expect(await page.textContent('h1')).toBe('What we hold about you');
    expect(await page.textContent('#identity-heading + p + dl')).toContain('Camille Lenoir');
    expect(await page.locator('a[href="/me/data.json"]').count()).toBe(1);
  });

  it('reads-who-accessed-their-data-and-why', async () => {
    await visit(page, '/me/access-log', 'en');
    const row = page.locator('tr', { hasText: lookupPurpose });
    expect(await row.textContent()).toMatch(/technician\s*address history looked up/);
    expect(await row.textContent()).toContain('troubleshooting');
  });

  it('sees-no-legal-request-and-asks-for-a-correction', async () => {
    await visit(page, '/me/legal-requests', 'en');
    expect(await page.textContent('p.notice')).toContain('No legal request that concerned you can be shown');
    await visit(page, '/me/rectifications', 'en');
    await page.selectOption('#rectification-field', 'legalName');
    await page.fill('#rectification-value', 'Camille Lenoir-Dupont');
    await page.click('form[action="/me/rectifications"] button');
    expect(await page.textContent('#rectification-problem')).toContain('corrected by a new verification');
    await checkPage(page, 'me-rectifications-refused-en');
    await page.selectOption('#rectification-field', 'displayName');
    await page.fill('#rectification-value', 'Camille L.');
    await Promise.all([page.waitForURL('**/me/rectifications?sent=1'), page.click('form[action="/me/rectifications"] button')]);
    expect(await page.textContent('p.notice')).toContain('Your request was sent');
    await checkPage(page, 'me-rectifications-sent-en');
  });

  it('reads-the-public-record-pages', async () => {
    for (const path of ['/transparency', '/canary', '/data-map']) await visit(page, path, 'en');
    await page.goto('/transparency');
    expect(await page.locator('svg[role="img"] rect.bar-masked').count()).toBe(1);
    expect(await page.locator('svg[role="img"] rect.bar').count()).toBe(1);
  });
});

it('a-member-on-a-phone-in-french-reads-every-page', async () => {
  const context = await visitor(browser, app.lanterne.url as string, { locale: 'fr-BE', phone: true });
  const page = await context.newPage();
  await signInByLink(page, 'fr-phone');
  for (const path of ['/me', '/me/access-log', '/me/legal-requests', '/me/rectifications', '/transparency', '/canary', '/data-map']) {
    await visit(page, path, 'fr-phone');
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
  }
  expect(await page.textContent('h1')).toBe('Ce que nous détenons sur nos membres');
  await context.close();
});
