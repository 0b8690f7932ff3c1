import type { Response } from 'supertest';
import type { TestApp } from './test-app';
import { cookieHeader, cookiesFrom, formToken, HTML } from './web-session';

export { HTML };

/** A browser signed in with an account's bearer token: its cookies, and the form token of the last page it read. */
export interface PageSession {
  get(path: string): Promise<Response>;
  /** A file the page links to, as bytes. */
  download(path: string): Promise<Response & { body: Buffer }>;
  /** Posts a form with the token of the last page read (or without one when `_csrf` is given as undefined). */
  post(path: string, fields?: Record<string, string | undefined>): Promise<Response>;
}

export async function signedIn(app: TestApp, token: string, lang = 'en'): Promise<PageSession> {
  const headers = { ...HTML, 'accept-language': lang };
  const first = await app.http.get('/sign-in').set(headers);
  let jar = cookiesFrom(first);
  let lastToken = formToken(first.text);
  const answer = await app.http.post('/sign-in/token').set({ ...headers, cookie: cookieHeader(jar) }).type('form').send({ _csrf: lastToken, token });
  if (answer.status !== 303) throw new Error(`sign-in: ${answer.status}`);
  jar = cookiesFrom(answer, jar);
  const keep = (response: Response) => {
    jar = cookiesFrom(response, jar);
    lastToken = formToken(response.text) ?? lastToken;
    return response;
  };
  return {
    get: async (path) => keep(await app.http.get(path).set({ ...headers, cookie: cookieHeader(jar) })),
    download: async (path) =>
      (await app.http
        .get(path)
        .set({ ...headers, cookie: cookieHeader(jar) })
        .buffer(true)
        .parse((res, done) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => done(null, Buffer.concat(chunks)));
        })) as Response & { body: Buffer },
    post: async (path, fields = {}) => {
      const body = Object.fromEntries(Object.entries({ _csrf: lastToken, ...fields }).filter(([, v]) => v !== undefined));
      return keep(await app.http.post(path).set({ ...headers, cookie: cookieHeader(jar) }).type('form').send(body));
    },
  };
}
