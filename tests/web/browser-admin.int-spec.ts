import type { Browser, Page } from 'playwright-core';
import { treeSize } from '../support/ledger';
import { checkPage, launchBrowser, visitor } from '../support/browser';
import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  app = await createTestApp();
  // A real browser drops a session cookie whose expiry has passed: the sessions' clock must be the browser's.
  app.clock.set(new Date());
  baseUrl = app.lanterne.url as string;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app.close();
});

/** Signs in with the bearer token on the sign-in page, as a volunteer does. */
async function signIn(page: Page, token: string): Promise<void> {
  await page.goto('/sign-in');
  await page.fill('#token', token);
  await page.click('form[action="/sign-in/token"] button');
  await page.waitForURL(`${baseUrl}/`);
}

it('an-admin-creates-a-technician-overrides-a-retention-policy-and-verifies-the-ledger', async () => {
  const context = await visitor(browser, baseUrl);
  const page = await context.newPage();
  await signIn(page, app.adminToken);
  await page.click('nav.roles a[href="/admin"]');
  expect(await page.textContent('h1')).toBe('Administration');
  await checkPage(page, 'admin-overview-en');

  await page.click('a[href="/admin/accounts"]');
  await checkPage(page, 'admin-accounts-en');
  await page.fill('#account-name', 'Alex Technician');
  await page.check('#role-technician');
  await page.click('form[action="/admin/accounts"] button[type="submit"]');
  expect(await page.textContent('h1')).toBe('Account created');
  const token = (await page.textContent('code.token')) as string;
  expect((await app.http.get('/api/v1/me').set(bearer(token))).body).toMatchObject({ name: 'Alex Technician', roles: ['technician'] });
  await checkPage(page, 'admin-account-created-en');
  await page.click('a[href="/admin/accounts"]');
  expect(await page.textContent('table')).toContain('Alex Technician');
  expect(await page.content()).not.toContain(token);

  await page.goto('/admin/retention');
  await checkPage(page, 'admin-retention-en');
  await page.fill('#days-ip-history', '300');
  await page.click('form[action="/admin/retention/policies/ip-history"] button');
  await page.waitForURL('**/admin/retention');
  expect(await page.inputValue('#days-ip-history')).toBe('300');
  expect(await page.textContent('#policy-ip-history + dl')).toContain('300 (set at');
  await page.click('form[action="/admin/retention/run"] button');
  expect(await page.textContent('#retention-report')).toBe('Retention run');
  await checkPage(page, 'admin-retention-run-en');

  await page.goto('/admin/ledger');
  await checkPage(page, 'admin-ledger-en');
  await page.click('form[action="/admin/ledger/verify"] button');
  await page.waitForURL('**/admin/ledger/verify*');
  expect(await page.textContent('p[role="status"]')).toContain('The ledger verifies');
  await checkPage(page, 'admin-ledger-verified-en');

  await page.goto('/admin/privileges');
  await checkPage(page, 'admin-privileges-en');
  await context.close();
});

it('the-admin-pages-read-well-in-french-on-a-phone', async () => {
  const context = await visitor(browser, baseUrl, { locale: 'fr-BE', phone: true });
  const page = await context.newPage();
  await signIn(page, app.adminToken);
  for (const path of ['/admin', '/admin/accounts', '/admin/retention', '/admin/ledger', '/admin/privileges']) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await checkPage(page, `admin${path.slice('/admin'.length).replaceAll('/', '-') || '-overview'}-fr-phone`);
  }
  expect(await page.textContent('h1')).toBe('Privilèges');
  await context.close();
});

it('a-form-sent-without-its-token-is-refused-in-the-browser-and-changes-nothing', async () => {
  const context = await visitor(browser, baseUrl);
  const page = await context.newPage();
  await signIn(page, app.adminToken);
  await page.goto('/admin/retention');
  const before = await treeSize(app);
  const policies = async () => (await app.http.get('/api/v1/admin/retention/policies').set(bearer(app.adminToken))).body;
  const unchanged = await policies();
  await page.fill('#days-identity', '10');
  // Removed by the test's own script (evaluated in the page, which the policy allows the driver, bypassCSP), not the page's.
  await page.locator('form[action="/admin/retention/policies/identity"] input[name="_csrf"]').evaluate((input) => input.remove());
  const [refused] = await Promise.all([
    page.waitForResponse((response) => response.url().endsWith('/admin/retention/policies/identity')),
    page.click('form[action="/admin/retention/policies/identity"] button'),
  ]);
  expect(refused.status()).toBe(403);
  await page.waitForURL('**/admin/retention/policies/identity');
  expect(await page.textContent('.problem')).toContain('did not come from Lanterne');
  await checkPage(page, 'admin-form-without-token-en');
  expect(await policies()).toEqual(unchanged);
  expect(await treeSize(app)).toBe(before);
  await context.close();
});
