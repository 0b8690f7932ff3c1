import { randomBytes } from 'node:crypto';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const LIMIT = 5;

/** Sends bad tokens from `forwardedFor` (or the test's own address) until one is refused with 429. */
async function guessUntilRefused(app: TestApp, forwardedFor?: string): Promise<number[]> {
  const statuses: number[] = [];
  while (statuses.at(-1) !== 429 && statuses.length < 2 * LIMIT) {
    const guess = app.http.get('/api/v1/me').set(bearer(`lnt_guess${randomBytes(4).toString('hex')}`));
    statuses.push((await (forwardedFor ? guess.set('x-forwarded-for', forwardedFor) : guess)).status);
  }
  return statuses;
}

describe('failed authentications are throttled, valid tokens are not', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ LANTERNE_AUTH_FAILURES_PER_MINUTE: String(LIMIT) });
  });
  afterAll(() => app.close());

  it('serves-a-valid-token-while-its-client-is-over-the-limit-and-refuses-a-bad-one-with-retry-after', async () => {
    const statuses = await guessUntilRefused(app);
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429]);

    const me = await app.http.get('/api/v1/me').set(bearer(app.adminToken));
    expect(me.status).toBe(200);
    expect(me.body.name).toBe('bootstrap admin');

    const refused = await app.http.get('/api/v1/me').set(bearer('lnt_one-more-guess'));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('counts-each-client-a-trusted-loopback-proxy-names-on-its-own', async () => {
    // The test talks to the service over loopback, which the default trust proxy believes.
    expect(await guessUntilRefused(app, '198.51.100.7')).toHaveLength(LIMIT + 1);
    expect((await app.http.get('/api/v1/me').set(bearer('lnt_guess')).set('x-forwarded-for', '198.51.100.8')).status).toBe(401);
  });
});

describe('with trust proxy off', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await createTestApp({ LANTERNE_AUTH_FAILURES_PER_MINUTE: String(LIMIT), LANTERNE_TRUST_PROXY: 'false' });
  });
  afterAll(() => app.close());

  it('a-forged-x-forwarded-for-does-not-escape-the-count', async () => {
    const statuses: number[] = [];
    for (let i = 0; i <= LIMIT; i++) {
      statuses.push((await app.http.get('/api/v1/me').set(bearer('lnt_guess')).set('x-forwarded-for', `198.51.100.${i}`)).status);
    }
    expect(statuses).toEqual([...Array<number>(LIMIT).fill(401), 429]);
  });
});

describe('two API instances on one Redis', () => {
  let first: TestApp;
  let second: TestApp;
  beforeAll(async () => {
    first = await createTestApp({ LANTERNE_AUTH_FAILURES_PER_MINUTE: String(LIMIT), LANTERNE_ROLE: 'api' });
    // The same database and queue prefix: the scale-out setup of the README.
    second = await createTestApp({
      LANTERNE_AUTH_FAILURES_PER_MINUTE: String(LIMIT),
      LANTERNE_ROLE: 'api',
      DATABASE_URL: first.databaseUrl,
      LANTERNE_QUEUE_PREFIX: first.env.LANTERNE_QUEUE_PREFIX,
      LANTERNE_BOOTSTRAP_TOKEN: first.adminToken,
      // One deployment, one set of keys.
      LANTERNE_MASTER_KEY: first.env.LANTERNE_MASTER_KEY,
      LANTERNE_SIGNING_KEY: first.env.LANTERNE_SIGNING_KEY,
    });
  });
  afterAll(async () => {
    await second.close();
    await first.close();
  });

  it('share-one-count-of-failures-so-a-client-cannot-spread-its-guesses', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await (i % 2 === 0 ? first : second).http.get('/api/v1/me').set(bearer(`lnt_guess${i}`))).status);
    expect(statuses).toEqual(Array<number>(LIMIT).fill(401));
    expect((await second.http.get('/api/v1/me').set(bearer('lnt_guess-on-second'))).status).toBe(429);
    expect((await first.http.get('/api/v1/me').set(bearer('lnt_guess-on-first'))).status).toBe(429);
    // And the rightful user is served by both.
    expect((await first.http.get('/api/v1/me').set(bearer(first.adminToken))).status).toBe(200);
    expect((await second.http.get('/api/v1/me').set(bearer(first.adminToken))).status).toBe(200);
  });
});
