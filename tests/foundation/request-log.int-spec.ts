import { Writable } from 'node:stream';
import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;
const lines: string[] = [];

beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  app = await createTestApp({ LANTERNE_LOG_LEVEL: 'info' }, { logDestination: destination });
});
afterAll(() => app.close());

/** The request lines logged since `from`, once the answer has been logged (after the response ends). */
async function requestLines(from: number): Promise<Record<string, unknown>[]> {
  await new Promise((resolve) => setImmediate(resolve));
  return lines
    .slice(from)
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === 'request completed' || entry.msg === 'request errored');
}

describe('the request log', () => {
  it('names-the-route-template-never-the-path-that-carries-a-personal-value', async () => {
    const from = lines.length;
    const response = await app.http.get('/api/v1/subscribers/someone%40example.org').set(bearer(app.adminToken));
    expect(response.status).toBe(400);
    const logged = await requestLines(from);
    expect(logged).toEqual([expect.objectContaining({ route: '/api/v1/subscribers/:id', req: expect.objectContaining({ method: 'GET' }) })]);
    const text = lines.slice(from).join('\n');
    expect(text).not.toMatch(/someone/);
  });

  it('answers-a-problem-that-names-the-route-template-never-the-path', async () => {
    const response = await app.http.get('/api/v1/subscribers/someone%40example.org').set(bearer(app.adminToken));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ instance: '/api/v1/subscribers/:id', errors: [{ path: 'id' }] });
    expect(response.text).not.toMatch(/someone/);
    const unmatched = await app.http.get('/api/v1/no-such-thing/someone%40example.org').set(bearer(app.adminToken));
    expect(unmatched.status).toBe(404);
    expect(unmatched.text).not.toMatch(/someone|no-such-thing/);
  });

  it('logs-an-unmatched-path-as-a-placeholder', async () => {
    const from = lines.length;
    const response = await app.http.get('/api/v1/no-such-thing/someone%40example.org?q=alice').set(bearer(app.adminToken));
    expect(response.status).toBe(404);
    const logged = await requestLines(from);
    expect(logged).toEqual([expect.objectContaining({ route: '(no route)' })]);
    expect(lines.slice(from).join('\n')).not.toMatch(/someone|alice|no-such-thing/);
  });
});
