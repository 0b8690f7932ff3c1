import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe('security headers', () => {
  it('api-answers-forbid-content-sniffing-and-framing', async () => {
    for (const response of [await app.http.get('/api/v1/me').set(bearer(app.adminToken)), await app.http.get('/api/v1/ledger/checkpoint'), await app.http.get('/health')]) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
      expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    }
  });

  it('an-answer-carrying-a-new-bearer-token-is-never-cached', async () => {
    const created = await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'cache check', roles: ['technician'] });
    expect(created.status).toBe(201);
    expect(created.body.token).toEqual(expect.any(String));
    expect(created.headers['cache-control']).toBe('no-store');
    const reissued = await app.http.post(`/api/v1/users/${created.body.id}/token`).set(bearer(app.adminToken));
    expect(reissued.status).toBe(201);
    expect(reissued.headers['cache-control']).toBe('no-store');
  });

  it('every-authenticated-api-answer-is-never-cached', async () => {
    const me = await app.http.get('/api/v1/me').set(bearer(app.adminToken));
    expect(me.headers['cache-control']).toBe('no-store');
    const refused = await app.http.get('/api/v1/subscribers/not-an-id').set(bearer(app.adminToken));
    expect(refused.status).toBe(400);
    expect(refused.headers['cache-control']).toBe('no-store');
  });

  it('a-401-names-the-bearer-scheme-and-says-when-the-token-was-refused', async () => {
    const none = await app.http.get('/api/v1/me');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="lanterne"');
    const wrong = await app.http.get('/api/v1/me').set(bearer('lnt_not-a-token'));
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="lanterne", error="invalid_token"');
    const forbidden = await app.http.get('/api/v1/users').set(bearer(await app.tokenFor('technician')));
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers['www-authenticate']).toBeUndefined();
  });

  it('swagger-ui-at-docs-has-a-content-policy-it-can-live-with', async () => {
    const page = await app.http.get('/docs/');
    expect(page.status).toBe(200);
    expect(page.headers['x-frame-options']).toBe('DENY');
    const policy = Object.fromEntries(
      String(page.headers['content-security-policy'])
        .split(';')
        .map((directive) => directive.trim().split(/\s+/))
        .map(([name, ...values]) => [name, values]),
    );
    expect(policy['frame-ancestors']).toEqual(["'none'"]);
    expect(policy['script-src']).toEqual(["'self'"]);
    expect(policy['object-src']).toEqual(["'none'"]);
    // Plain HTTP (embedded mode) would otherwise have the browser fetch the page's assets over HTTPS.
    expect(policy).not.toHaveProperty('upgrade-insecure-requests');
    // What the policy allows is what the page needs: its scripts come from its own origin, none is inline.
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      const src = /src="([^"]+)"/.exec(attributes)?.[1];
      expect(src).toBeDefined();
      expect(src).not.toMatch(/^(https?:)?\/\//);
      expect(body.trim()).toBe('');
      const asset = await app.http.get(new URL(src as string, 'http://x/docs/').pathname);
      expect(asset.status).toBe(200);
    }
    const document = await app.http.get('/api/v1/openapi.json');
    expect(document.status).toBe(200);
  });
});
