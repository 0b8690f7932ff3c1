import type { Browser } from 'playwright-core';
import { checkPage, launchBrowser, visitor } from '../support/browser';
import { createTestApp, TestApp } from '../support/test-app';

let app: TestApp;
let browser: Browser;
let baseUrl: string;

beforeAll(async () => {
  app = await createTestApp();
  baseUrl = app.lanterne.url as string;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app.close();
});

it('the-public-pages-read-well-in-a-browser-in-both-languages-and-on-a-phone', async () => {
  for (const [locale, phone] of [['en-GB', false], ['fr-BE', true]] as const) {
    const context = await visitor(browser, baseUrl, { locale, phone });
    const page = await context.newPage();
    for (const path of ['/', '/checkpoint', '/sign-in']) {
      const response = await page.goto(path);
      expect(response?.status()).toBe(200);
      expect(await page.getAttribute('html', 'lang')).toBe(locale.slice(0, 2));
      await checkPage(page, `public${path === '/' ? '-home' : path.replaceAll('/', '-')}-${locale}${phone ? '-phone' : ''}`);
    }
    await context.close();
  }
});

it('a-visitor-switches-language-with-the-form-and-keeps-it', async () => {
  const context = await visitor(browser, baseUrl, { locale: 'fr-FR' });
  const page = await context.newPage();
  await page.goto('/checkpoint');
  expect(await page.textContent('h1')).toBe('Point de contrôle du registre');
  await page.selectOption('#language-choice', 'en');
  await page.click('form.language button');
  await page.waitForURL('**/checkpoint');
  expect(await page.textContent('h1')).toBe('Ledger checkpoint');
  await page.goto('/');
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  await context.close();
});
