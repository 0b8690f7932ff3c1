import { assign, makeActiveSubscription, makePool } from '../factories/network.factory';
import { countRows } from '../support/refusals';
import { bearer, createTestApp, TestApp } from '../support/test-app';

/** Bodies are JSON: any other media type is a 415 problem, and a route without a body needs no type. */

let app: TestApp;
let tech: string;
const TABLES = ['subscribers', 'ip_pools', 'ip_assignments', 'ledger_leaves'];

beforeAll(async () => {
  app = await createTestApp();
  tech = await app.tokenFor('technician');
});
afterAll(() => app.close());

async function expectUnsupported(type: string | undefined, body: string): Promise<void> {
  const before = await countRows(app, TABLES);
  const request = app.http.post('/api/v1/subscribers').set(bearer(tech));
  const r = await (type === undefined ? request : request.set('content-type', type)).send(body);
  expect({ type, status: r.status, contentType: r.headers['content-type'] }).toEqual({ type, status: 415, contentType: expect.stringMatching(/^application\/problem\+json/) });
  expect(r.body).toMatchObject({ status: 415, title: 'Unsupported Media Type', type: 'urn:lanterne:problem:unsupported-media-type' });
  expect(await countRows(app, TABLES)).toEqual(before);
}

describe('request bodies are application/json', () => {
  it('a-form-body-is-a-415-and-creates-nothing', async () => {
    await expectUnsupported('application/x-www-form-urlencoded', 'displayName=Form&email=form%40example.org');
  });

  it('other-media-types-are-415-too', async () => {
    await expectUnsupported('text/plain', '{"displayName":"Text","email":"text@example.org"}');
    await expectUnsupported('multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="displayName"\r\n\r\nM\r\n--x--\r\n');
    await expectUnsupported('application/xml', '<subscriber/>');
  });

  it('json-in-a-charset-other-than-utf-8-is-a-415', async () => {
    await expectUnsupported('application/json; charset=utf-16', '{"displayName":"Wide","email":"wide@example.org"}');
    await expectUnsupported('application/json; charset=latin1', '{"displayName":"Latin","email":"latin@example.org"}');
  });

  it('json-with-a-charset-or-a-json-suffix-is-read', async () => {
    const withCharset = await app.http.post('/api/v1/subscribers').set(bearer(tech)).set('content-type', 'application/json; charset=UTF-8').send('{"displayName":"Charset","email":"charset@example.org"}');
    expect(withCharset.status).toBe(201);
    const patch = await app.http.patch(`/api/v1/subscribers/${withCharset.body.id}`).set(bearer(tech)).set('content-type', 'application/merge-patch+json').send('{"displayName":"Patched"}');
    expect(patch.status).toBe(200);
    expect(patch.body.displayName).toBe('Patched');
  });

  it('a-body-less-post-needs-no-content-type', async () => {
    const subscriptionId = await makeActiveSubscription(app, tech);
    const pool = await makePool(app, tech, '192.0.2.0/24', 32);
    const first = await assign(app, tech, subscriptionId, { poolId: pool.id });
    const second = await assign(app, tech, subscriptionId, { poolId: pool.id });
    // No body at all, and an empty one with Content-Length: 0, as curl -X POST sends them.
    const bare = await app.http.post(`/api/v1/ip-assignments/${first.body.id}/release`).set(bearer(tech));
    expect(bare.status).toBe(200);
    const empty = await app.http.post(`/api/v1/ip-assignments/${second.body.id}/release`).set(bearer(tech)).set('content-length', '0');
    expect(empty.status).toBe(200);
    expect(empty.body.validUntil).not.toBeNull();
  });
});
