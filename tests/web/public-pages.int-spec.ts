import { createTestApp, bearer, TestApp } from '../support/test-app';
import { HTML, pageFor, signedIn } from '../support/web-session';

/**
 * The public record as pages, for anyone signed in or not: the transparency report (small counts
 * never shown as a number, in its table or its chart), the warrant canary (none yet, current,
 * lapsed), and the data map; each from the service behind its API route.
 */

const V = '/api/v1';
let app: TestApp;
let ccj: { id: string; token: string }[];

const page = async (path: string) => {
  const answer = await app.http.get(path).set(HTML);
  expect(answer.status).toBe(200);
  expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(answer.text).not.toMatch(/<script|style=/);
  return answer.text;
};

beforeAll(async () => {
  app = await createTestApp({ LANTERNE_PUBLIC_URL: 'https://lanterne.example.org/' });
  const accreditation = { grantedOn: '2026-01-15', expiresOn: '2030-12-31', authority: 'Assemblée générale du 15 janvier 2026' };
  ccj = [];
  for (const name of ['Alice', 'Bruno']) {
    const created = await app.http.post(`${V}/users`).set(bearer(app.adminToken)).send({ name, roles: ['ccj'] }).expect(201);
    await app.http.post(`${V}/circles/ccj/members`).set(bearer(app.adminToken)).send({ accountId: created.body.id, accreditation }).expect(201);
    ccj.push({ id: created.body.id, token: created.body.token });
  }
});
afterAll(() => app.close());

const receive = (receivedAt: string, kind = 'identification') =>
  app.http
    .post(`${V}/legal-requests`)
    .set(bearer(ccj[0].token))
    .send({ authority: 'Parquet de Namur', reference: `NA.${receivedAt}`, legalBasis: "Code d'instruction criminelle, art. 46bis", kind, receivedAt, selectors: [{ address: '192.0.2.200', at: '2025-05-10T21:00:00Z' }] })
    .expect(201);

describe('the transparency report', () => {
  it('says-so-when-no-request-was-received', async () => {
    expect(await page('/transparency')).toContain('No legal request has been received.');
  });

  describe('with a small year and a larger one', () => {
    let html: string;
    beforeAll(async () => {
      // 2025: 3 requests, below the minimum of 5; 2026: 6 identification requests and 5 others.
      for (const at of ['2025-02-01T10:00:00Z', '2025-03-01T10:00:00Z', '2025-04-01T10:00:00Z']) await receive(at);
      for (let day = 10; day < 16; day++) await receive(`2026-01-${day}T10:00:00Z`);
      for (let day = 20; day < 25; day++) await receive(`2026-01-${day}T10:00:00Z`, 'other');
      html = await page('/transparency');
    });

    it('draws-an-accessible-svg-bar-chart-the-small-year-hatched-and-never-a-number', () => {
      expect(html).toContain('<svg role="img" aria-labelledby="chart-title chart-desc"');
      expect(html).toContain('<title id="chart-title">Legal requests received per year</title>');
      expect(html).toContain('<desc id="chart-desc">2025: fewer than 5. 2026: 11 requests. </desc>');
      expect(html).toMatch(/<rect class="bar-masked" [^>]*fill="url\(#masked-hatch\)">/);
      expect(html).toMatch(/<rect class="bar" [^>]*>/);
      expect(html).toContain('&lt; 5</text>');
      expect(html).toContain('>11</text>');
      expect(html).not.toMatch(/\b3 requests|>3</);
    });

    it('tables-each-year-with-its-masked-cells-said-as-such', () => {
      expect(html).toContain('Fewer than 5 requests received: only that is published.');
      expect(html).toContain('11 requests received, those under a secrecy order included.');
      // The one cell of 5 "other" shows; the 6 identifications are hidden so that the masked cells cannot be recovered from the total.
      expect(html).toMatch(/<th scope="row">Identification<\/th>\s*<td><span class="masked">hidden<\/span><\/td>/);
      expect(html).toMatch(/<th scope="row">Other<\/th>\s*<td>5<\/td>/);
      expect(html).toContain('<span class="masked">fewer than 5</span>');
      expect(html).toContain('<th scope="col">Complied</th>');
      expect(html).not.toContain('Parquet de Namur');
    });

    it('shows-the-same-figures-as-the-api', async () => {
      const report = (await app.http.get(`${V}/transparency`).expect(200)).body;
      expect(report.years.map((y: { year: number; total: unknown }) => [y.year, y.total])).toEqual([
        [2025, { fewerThan: 5 }],
        [2026, 11],
      ]);
    });
  });
});

describe('the warrant canary', () => {
  async function adopt(statement: string, renewBy: string): Promise<void> {
    const proposed = await app.http.post(`${V}/canary/proposals`).set(bearer(ccj[0].token)).send({ statement, renewBy }).expect(201);
    for (const who of ccj) await app.http.post(`${V}/proposals/${proposed.body.proposalId}/positions`).set(bearer(who.token)).send({ position: 'consent' }).expect(200);
    await app.http.post(`${V}/proposals/${proposed.body.proposalId}/close`).set(bearer(ccj[1].token)).expect(200);
  }

  it('says-none-was-issued-as-a-page-not-a-404', async () => {
    const html = await page('/canary');
    expect(html).toContain('No warrant canary has been issued yet.');
    expect(html).toContain('lanterne verify-canary --url https://lanterne.example.org');
  });

  it('shows-the-current-canary-with-its-dates-signature-and-key', async () => {
    await adopt('The association has received no <order> it may not disclose.', '2026-09-01T00:00:00Z');
    const canary = (await app.http.get(`${V}/canary`).expect(200)).body;
    const html = await page('/canary');
    expect(html).toContain('The association has received no &lt;order&gt; it may not disclose.');
    expect(html).toContain('<strong>Current.</strong> It will be renewed by 2026-09-01T00:00:00.000Z.');
    expect(html).toContain(`<time datetime="${canary.issuedAt}">`);
    // Handlebars writes base64's "=" as an entity; a browser shows it as it was.
    expect(html).toContain(canary.signature.replaceAll('=', '&#x3D;'));
    expect(html).toContain(canary.publicKey.replaceAll('=', '&#x3D;'));
    expect(html).toContain('lanterne-canary\n');
    expect(html).not.toContain('has lapsed');
  });

  it('shows-a-lapsed-canary-prominently-as-lapsed', async () => {
    app.clock.set('2026-09-01T00:00:01Z');
    const html = await page('/canary');
    expect(html).toContain('<div class="problem canary-lapsed" role="alert">');
    expect(html).toContain('<h2>This canary has lapsed</h2>');
    expect(html).toContain('<strong>lapsed</strong>');
    expect(html).not.toContain('Current.');
  });
});

describe('the data map', () => {
  it('shows-what-is-held-why-how-long-and-what-can-be-compelled', async () => {
    const map = (await app.http.get(`${V}/public/data-map`).expect(200)).body;
    const html = await page('/data-map');
    expect(html).toContain('<h3 id="category-identity">Legal identity</h3>');
    expect(html).toContain('What an authority can compel us to give');
    expect(html).toContain('None can be given: Lanterne stores no traffic data');
    expect(html).toContain('365 days after');
    expect(html).toContain(`href="${map.supervisoryAuthority.url}"`);
    for (const category of map.categories) expect(html).toContain(`id="category-${category.category}"`);
  });
});

it('the-public-pages-read-the-same-for-someone-signed-in-and-in-french', async () => {
  const jar = await signedIn(app, ccj[0].token);
  for (const path of ['/transparency', '/canary', '/data-map']) {
    expect((await pageFor(app, jar, path).expect(200)).text).toContain('Signed in as Alice');
    const french = await app.http.get(path).set({ ...HTML, 'accept-language': 'fr' }).expect(200);
    expect(french.text).toContain('<html lang="fr">');
  }
  expect((await app.http.get('/transparency').set({ ...HTML, 'accept-language': 'fr' })).text).toContain('Réquisitions reçues par année');
});
