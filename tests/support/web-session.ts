import type { Response } from 'supertest';
import type { TestApp } from './test-app';

/** What a browser sends to ask for a page. */
export const HTML = { accept: 'text/html', 'accept-language': 'en' };

export type CookieJar = Record<string, string>;

/** The cookies an answer sets, merged over those already held (an emptied cookie is dropped). */
export function cookiesFrom(response: { headers: Record<string, unknown> }, held: CookieJar = {}): CookieJar {
  const jar = { ...held };
  for (const line of (response.headers['set-cookie'] as string[] | undefined) ?? []) {
    const [pair] = line.split(';');
    const [name, value] = pair.split('=');
    if (value === '') delete jar[name];
    else jar[name] = value;
  }
  return jar;
}

export const cookieHeader = (jar: CookieJar) => Object.entries(jar).map(([k, v]) => `${k}=${v}`).join('; ');
export const formToken = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] as string;

/** A browser signed in with an account's bearer token, as staff do on /sign-in: its cookies. */
export async function signedIn(app: TestApp, token: string): Promise<CookieJar> {
  const page = await app.http.get('/sign-in').set(HTML);
  const jar = cookiesFrom(page);
  const answer = await app.http.post('/sign-in/token').set({ ...HTML, cookie: cookieHeader(jar) }).type('form').send({ _csrf: formToken(page.text), token });
  if (answer.status !== 303) throw new Error(`sign-in: ${answer.status} ${answer.text}`);
  return cookiesFrom(answer, jar);
}

/** A page as the browser holding `jar` gets it. */
export const pageFor = (app: TestApp, jar: CookieJar, path: string) => app.http.get(path).set({ ...HTML, cookie: cookieHeader(jar) });

export interface WebSession {
  get(path: string): Promise<Response>;
  /** A file a page links to, as bytes. */
  download(path: string): Promise<Response & { body: Buffer }>;
  /** Posts a form with the token of the page last read, as a browser would. */
  post(path: string, fields?: Record<string, string>): Promise<Response>;
  /** Posts a form exactly as given (without a token unless it holds one). */
  postRaw(path: string, fields: Record<string, string>): Promise<Response>;
}

/** Signs in with a bearer token on the sign-in page and keeps the session's cookies. */
export async function signInWith(app: TestApp, bearerToken: string, lang = 'en'): Promise<WebSession> {
  const headers = { ...HTML, 'accept-language': lang };
  const page = await app.http.get('/sign-in').set(headers);
  let jar = cookiesFrom(page);
  let token = formToken(page.text);
  const signedIn = await app.http.post('/sign-in/token').set({ ...headers, cookie: cookieHeader(jar) }).type('form').send({ _csrf: token, token: bearerToken });
  if (signedIn.status !== 303) throw new Error(`sign-in answered ${signedIn.status}`);
  jar = cookiesFrom(signedIn, jar);
  const session: WebSession = {
    async get(path) {
      const response = await app.http.get(path).set({ ...headers, cookie: cookieHeader(jar) });
      jar = cookiesFrom(response, jar);
      token = formToken(response.text) ?? token;
      return response;
    },
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
    post: (path, fields = {}) => session.postRaw(path, { _csrf: token, ...fields }),
    async postRaw(path, fields) {
      const response = await app.http.post(path).set({ ...headers, cookie: cookieHeader(jar) }).type('form').send(fields);
      jar = cookiesFrom(response, jar);
      return response;
    },
  };
  return session;
}
