import type { Browser } from 'playwright-core';
import { checkPage, launchBrowser, visitor } from '../support/browser';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { CookieJar, cookieHeader, formToken, HTML, pageFor, signedIn } from '../support/web-session';

const V = '/api/v1';

let app: TestApp;
let tech: string;
let techJar: CookieJar;
let member: { token: string; subscriberId: string };

beforeAll(async () => {
  app = await createTestApp();
  app.clock.set(new Date());
  tech = await app.tokenFor('technician');
  techJar = await signedIn(app, tech);
  const subscriber = await app.http.post(`${V}/subscribers`).set(bearer(tech)).send({ displayName: 'Camille Old', email: 'camille@example.org' }).expect(201);
  const account = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name: 'Camille', roles: ['member'], subscriberId: subscriber.body.id }).expect(201);
  member = { token: account.body.token, subscriberId: subscriber.body.id };
});
afterAll(() => app.close());

const propose = (field: string, proposedValue: string, note?: string) =>
  app.http.post(`${V}/me/rectifications`).set(bearer(member.token)).send({ field, proposedValue, ...(note ? { note } : {}) }).expect(201);
const post = (path: string, fields: Record<string, string>) => app.http.post(path).set({ ...HTML, cookie: cookieHeader(techJar) }).type('form').send(fields);

it('a-technician-sees-the-queue-and-accepts-a-correction-which-changes-the-record', async () => {
  const asked = await propose('displayName', 'Camille New', 'my name changed');
  const queue = await pageFor(app, techJar, '/tech/rectifications').expect(200);
  expect(queue.text).toContain('Camille New');
  expect(queue.text).toContain('my name changed');
  const accepted = await post(`/tech/rectifications/${asked.body.id}/accept`, { _csrf: formToken(queue.text) });
  expect(accepted.status).toBe(303);
  expect((await app.http.get(`${V}/subscribers/${member.subscriberId}`).set(bearer(tech))).body.displayName).toBe('Camille New');
  expect((await pageFor(app, techJar, '/tech/rectifications').expect(200)).text).not.toContain('Camille New');
  expect((await pageFor(app, techJar, '/tech/rectifications?status=accepted').expect(200)).text).toContain('Camille New');
});

it('a-refusal-needs-a-reason-which-the-member-reads', async () => {
  const asked = await propose('language', 'nl');
  const queue = await pageFor(app, techJar, '/tech/rectifications').expect(200);
  expect((await post(`/tech/rectifications/${asked.body.id}/refuse`, { _csrf: formToken(queue.text), reason: '' })).status).toBe(400);
  expect((await post(`/tech/rectifications/${asked.body.id}/refuse`, { _csrf: formToken(queue.text), reason: 'Dutch letters are not offered yet' })).status).toBe(303);
  const mine = (await app.http.get(`${V}/me/rectifications`).set(bearer(member.token)).expect(200)).body.items;
  expect(mine.find((r: { id: string }) => r.id === asked.body.id)).toMatchObject({ status: 'refused', refusalReason: 'Dutch letters are not offered yet' });
  // Resolved once: a second answer is the service's conflict.
  expect((await post(`/tech/rectifications/${asked.body.id}/accept`, { _csrf: formToken(queue.text) })).status).toBe(409);
});

it('a-form-without-its-token-changes-nothing-and-other-roles-are-refused', async () => {
  const asked = await propose('displayName', 'Someone Else');
  expect((await post(`/tech/rectifications/${asked.body.id}/accept`, {})).status).toBe(403);
  expect((await app.http.get(`${V}/subscribers/${member.subscriberId}`).set(bearer(tech))).body.displayName).toBe('Camille New');
  const ccjJar = await signedIn(app, await app.tokenFor('ccj'));
  expect((await pageFor(app, ccjJar, '/tech/rectifications')).status).toBe(403);
  expect((await app.http.get('/tech/rectifications').set(HTML)).status).toBe(303);
});

describe('in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(() => browser?.close());

  it('the-queue-reads-well-and-passes-axe', async () => {
    const context = await visitor(browser, app.lanterne.url as string, { locale: 'fr-BE', phone: true });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.fill('#token', tech);
    await page.click('form[action="/sign-in/token"] button');
    await page.goto('/tech/rectifications');
    expect(await page.textContent('h1')).toBe('Rectifications des membres');
    await checkPage(page, 'tech-rectifications-fr-phone');
    await context.close();
  });
});
