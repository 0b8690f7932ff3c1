import type { Browser, Page } from 'playwright-core';
import { checkPage, launchBrowser, visitor } from '../support/browser';
import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;
let browser: Browser;
let baseUrl: string;
let tech: string;

beforeAll(async () => {
  app = await createTestApp();
  // The session cookie expires by the service's clock: a browser drops one that is already past by its own.
  app.clock.set(new Date());
  baseUrl = app.lanterne.url as string;
  browser = await launchBrowser();
  tech = await app.tokenFor('technician');
});
afterAll(async () => {
  await browser?.close();
  await app.close();
});

/** Signs in on the sign-in page with the technician's token, as a volunteer pastes it. */
async function signIn(page: Page, name: string): Promise<void> {
  await page.goto('/sign-in?next=/tech');
  await checkPage(page, `${name}-sign-in`);
  await page.fill('#token', tech);
  await Promise.all([page.waitForURL((url) => url.pathname === '/tech'), page.click('form[action="/sign-in/token"] button')]);
}

it('a-technician-registers-a-member-gives-them-a-subscription-an-address-and-a-letter-to-print', async () => {
  const pool = (await app.http.post('/api/v1/ip-pools').set(bearer(tech)).send({ name: 'browser-v4', prefix: '203.0.113.0/29', assignLength: 32 }).expect(201)).body;
  const context = await visitor(browser, baseUrl, { locale: 'en-GB' });
  const page = await context.newPage();
  await signIn(page, 'tech-en');
  await checkPage(page, 'tech-search-en');

  await page.fill('#register-name', 'Lou Browser');
  await page.fill('#register-email', 'lou@example.org');
  await Promise.all([page.waitForURL('**/tech/subscribers/*'), page.click('form[action="/tech/subscribers"] button')]);
  expect(await page.textContent('h1')).toMatch(/^Member \d+$/);
  await checkPage(page, 'tech-subscriber-new-en');

  await page.selectOption('#new-service', 'vpn');
  await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/subscriptions"] button')]);
  expect(await page.textContent('article h3')).toBe('vpn · active');
  await checkPage(page, 'tech-subscriber-subscription-en');

  await page.selectOption('select[name="poolId"]', pool.id);
  await Promise.all([page.waitForLoadState('load'), page.click('form[action$="/ip-assignments"] button')]);
  expect(await page.textContent('article table code')).toBe('203.0.113.1/32');
  await checkPage(page, 'tech-subscriber-address-en');

  await page.fill('input[name="underlayMtu"]', '1500');
  await page.selectOption('select[name="layer1"]', 'ipv6');
  await page.selectOption('select[name="layer2"]', 'udp');
  await page.selectOption('select[name="layer3"]', 'wireguard');
  await Promise.all([page.waitForLoadState('load'), page.click('button[value="compute"]')]);
  expect(await page.textContent('.tech-arithmetic + .facts output')).toBe('1500 − 80 = 1420');
  await checkPage(page, 'tech-subscriber-mtu-en');
  await page.fill('input[name="underlayMtu"]', '1300');
  await Promise.all([page.waitForLoadState('load'), page.click('button[value="store"]')]);
  expect(await page.textContent('article .problem')).toContain('below the ipv6 minimum of 1280');
  await checkPage(page, 'tech-subscriber-mtu-refused-en');

  await page.fill('#postal-name', 'Lou Légal');
  await page.fill('#postal-line1', 'Rue du Navigateur 1');
  await page.fill('#postal-code', '1000');
  await page.fill('#postal-city', 'Bruxelles');
  await Promise.all([page.waitForLoadState('load'), page.click('form:has(input[value="postal"]) button')]);
  const letter = page.locator('a[href$="/letter.pdf"]');
  expect(await letter.count()).toBe(1);
  expect(await page.content()).not.toContain('Navigateur');
  await checkPage(page, 'tech-subscriber-verification-en');

  // The browser's own session fetches the PDF, as the link opens it.
  const pdf = await page.request.get((await letter.getAttribute('href')) as string);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

  await page.click('.tech-nav a[href="/tech/letters"]');
  expect(await page.textContent('h1')).toBe('Letters to print');
  await checkPage(page, 'tech-letters-en');
  await page.click('.tech-nav a[href="/tech/cpe"]');
  expect(await page.textContent('h1')).toBe('Devices');
  await checkPage(page, 'tech-cpe-en');
  await page.goto('/tech?q=Lou');
  expect(await page.textContent('tbody')).toContain('Lou Browser');
  await checkPage(page, 'tech-search-results-en');
  await context.close();
}, 120_000);

it('the-technicians-pages-read-well-in-french-on-a-phone', async () => {
  const member = (await app.http.post('/api/v1/subscribers').set(bearer(tech)).send({ displayName: 'Noé Téléphone', email: 'noe@example.org' }).expect(201)).body;
  await app.http.post('/api/v1/subscriptions').set(bearer(tech)).send({ subscriberId: member.id, service: 'fiber' }).expect(201);
  const context = await visitor(browser, baseUrl, { locale: 'fr-BE', phone: true });
  const page = await context.newPage();
  await signIn(page, 'tech-fr-phone');
  expect(await page.getAttribute('html', 'lang')).toBe('fr');
  expect(await page.textContent('h1')).toBe('Membres et réseau');
  await checkPage(page, 'tech-search-fr-phone');
  for (const [path, name] of [[`/tech/subscribers/${member.id}`, 'subscriber'], ['/tech/cpe', 'cpe'], ['/tech/letters', 'letters']]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    await checkPage(page, `tech-${name}-fr-phone`);
  }
  await context.close();
}, 120_000);
