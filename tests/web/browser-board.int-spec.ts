import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assign, makePool } from '../factories/network.factory';
import { makeSubscriber, makeSubscription } from '../factories/subscriber.factory';
import { checkPage, launchBrowser, visitor } from '../support/browser';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { confirm, lastMessageOf, outboxDir, startVerification } from '../support/verification';

const V = '/api/v1';
/**
 * The story happens in a year still ahead of the real clock: the browser drops a session cookie whose
 * expiry (the test clock plus the session's hours) is already past by its own clock.
 */
const Y = 2099;

let app: TestApp;
let browser: Browser;
let baseUrl: string;
let alice: { id: string; token: string };
let bob: { id: string; token: string };
let memberNumber: number;
let requestId: string;

async function person(name: string): Promise<{ id: string; token: string }> {
  const created = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name, roles: ['ccj'] }).expect(201);
  await app.http
    .post(`${V}/circles/ccj/members`)
    .set(bearer(app.adminToken))
    .send({ accountId: created.body.id, accreditation: { grantedOn: `${Y}-01-15`, expiresOn: `${Y}-12-31`, authority: `Assemblée générale du 15 janvier ${Y}` } })
    .expect(201);
  return { id: created.body.id, token: created.body.token };
}

/** Signs in with the staff form, coming back to `next`; the sign-in page is checked like any other. */
async function signIn(context: BrowserContext, token: string, next: string, name: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
  await checkPage(page, `${name}-sign-in`);
  await page.fill('#token', token);
  await page.click('form[action="/sign-in/token"] button');
  await page.waitForURL(`**${next}`);
  return page;
}

beforeAll(async () => {
  const dir = outboxDir();
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${dir}`, LANTERNE_ASSOCIATION_NAME: 'Neutrinet ASBL', LANTERNE_ASSOCIATION_ADDRESS: 'Rue du Réseau 1|1000 Bruxelles' });
  baseUrl = app.lanterne.url as string;
  app.clock.set(`${Y}-01-01T10:00:00Z`);
  const technician = await app.tokenFor('technician');
  alice = await person('Alice');
  bob = await person('Bob');

  // The holder of 192.0.2.10 from January 5 to March 1, with a verified legal name.
  const subscriber = await makeSubscriber(app, technician, { displayName: 'Jo', email: 'jo.holder@example.org' });
  memberNumber = subscriber.memberNumber;
  const verification = await startVerification(app, technician, subscriber.id, { method: 'sms', phone: '+32470123456', legalName: 'Josephine Holder' });
  const { code } = await lastMessageOf(app, dir, verification.id);
  expect((await confirm(app, technician, verification.id, code)).status).toBe(200);
  const subscription = await makeSubscription(app, technician, subscriber.id);
  const pool = await makePool(app, technician, '192.0.2.0/24', 32);
  app.clock.set(`${Y}-01-05T00:00:00Z`);
  const assigned = await assign(app, technician, subscription.id, { poolId: pool.id, prefix: '192.0.2.10/32' });
  expect(assigned.status).toBe(201);
  app.clock.set(`${Y}-03-01T00:00:00Z`);
  await app.http.post(`${V}/ip-assignments/${assigned.body.id}/release`).set(bearer(technician)).expect(200);
  app.clock.set(`${Y}-06-01T12:00:00Z`);

  const received = await app.http
    .post(`${V}/legal-requests`)
    .set(bearer(alice.token))
    .send({
      authority: 'Parquet du procureur du Roi de Bruxelles',
      reference: 'BR.12.AB/42',
      legalBasis: "Code d'instruction criminelle, art. 46bis",
      kind: 'identification',
      receivedAt: `${Y}-05-30T09:15:00+02:00`,
      dueAt: `${Y}-06-10T00:00:00Z`,
      selectors: [
        { address: '192.0.2.10', at: `${Y}-02-01T21:04:05+01:00` },
        { address: '192.0.2.10', at: `${Y}-04-01T08:00:00Z` },
      ],
    })
    .expect(201);
  requestId = received.body.id;
  browser = await launchBrowser();
}, 90_000);
afterAll(async () => {
  await browser?.close();
  await app.close();
});

it('a-ccj-member-proposes-and-takes-a-position-a-second-consents-on-a-phone-in-french-and-the-first-discloses-and-prints-the-answer', async () => {
  const path = `/board/requests/${requestId}`;
  const aliceContext = await visitor(browser, baseUrl, { locale: 'en-GB' });
  const page = await signIn(aliceContext, alice.token, '/board', 'board-alice');
  await checkPage(page, 'board-list');
  expect(await page.textContent('h1')).toBe('Legal requests');
  await page.click('text=BR.12.AB/42');
  await page.waitForURL(`**${path}`);
  await checkPage(page, 'board-request-received');
  expect(await page.textContent('.board-selectors tbody')).toContain(`${Y}-02-01 20:04 UTC`);

  // The proposal, opened from the page: blind, so that Bob decides without seeing Alice's position.
  await page.check('#decision-comply');
  await page.fill('#decision-rationale', 'The order is reasoned and names an instant.');
  await page.check('#decision-blind');
  await page.click('form.board-propose button');
  await page.waitForURL(`**${path}`);
  await checkPage(page, 'board-request-open');
  expect(await page.textContent('.notice')).toContain('hidden until you take your position');

  await page.check('#position-consent');
  await page.click('form.board-position button');
  await page.waitForURL(`**${path}`);
  await checkPage(page, 'board-request-position-taken');
  expect(await page.textContent('.board-positions')).toContain('Alice (you)');

  // Bob, on a phone and in French, sees no position before taking his.
  const bobContext = await visitor(browser, baseUrl, { locale: 'fr-BE', phone: true });
  const bobPage = await signIn(bobContext, bob.token, path, 'board-bob-fr-phone');
  await checkPage(bobPage, 'board-request-blind-fr-phone');
  expect(await bobPage.getAttribute('html', 'lang')).toBe('fr');
  expect(await bobPage.textContent('.notice')).toContain("cachées jusqu'à ce que vous preniez la vôtre");
  expect(await bobPage.$('.board-positions')).toBeNull();
  await bobPage.check('#position-consent');
  await bobPage.click('form.board-position button');
  await bobPage.waitForURL(`**${path}`);
  await checkPage(bobPage, 'board-request-consented-fr-phone');
  expect(await bobPage.textContent('.board-positions')).toContain('Consentement');
  await bobContext.close();

  await page.reload();
  await checkPage(page, 'board-request-two-consents');
  await page.click('form.board-close-proposal button');
  await page.waitForURL(`**${path}`);
  await checkPage(page, 'board-request-decided');
  expect(await page.textContent('.facts')).toContain('Decided (Comply)');

  await page.click(`form[action="${path}/disclose"] button`);
  await page.waitForURL(`**${path}`);
  await checkPage(page, 'board-request-disclosed');
  const rows = await page.locator('.board-disclosures tbody tr').all();
  const entries = await Promise.all(rows.map(async (row) => (await row.locator('th, td').allTextContents()).map((text) => text.trim())));
  expect(entries).toEqual([
    [`192.0.2.10 ${Y}-02-01 20:04 UTC`, 'Match', String(memberNumber), 'Josephine Holder', expect.stringContaining('sms: +32470123456')],
    [`192.0.2.10 ${Y}-04-01 08:00 UTC`, 'No match', '', '', ''],
  ]);
  expect(await page.$(`form[action="${path}/disclose"]`)).toBeNull();

  const pdfLink = await page.getAttribute('a.board-pdf', 'href');
  expect(pdfLink).toBe(`${path}/answer.pdf`);
  const pdf = await aliceContext.request.get(pdfLink as string);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 4).toString('latin1')).toBe('%PDF');
  await aliceContext.close();
}, 120_000);
