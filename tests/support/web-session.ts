import type { TestApp } from './test-app';

/** A browser's view of the pages for supertest: cookies kept between requests, HTML asked for. */
export const HTML = { accept: 'text/html', 'accept-language': 'en' };

/** The cookies an answer sets, merged over those already held. */
export function cookiesFrom(response: { headers: Record<string, unknown> }, held: Record<string, string> = {}): Record<string, string> {
  const jar = { ...held };
  for (const line of (response.headers['set-cookie'] as string[] | undefined) ?? []) {
    const [pair] = line.split(';');
    const [name, value] = pair.split('=');
    if (value === '') delete jar[name];
    else jar[name] = value;
  }
  return jar;
}

export const cookieHeader = (jar: Record<string, string>) =>
  Object.entries(jar)
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

/** The form token of the first form of a page. */
export const formToken = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] as string;

export interface WebSession {
  get(path: string): Promise<{ status: number; text: string; headers: Record<string, unknown> }>;
  /** Posts a form with the token of the page last read, as a browser would. */
  post(path: string, fields?: Record<string, string>): Promise<{ status: number; text: string; headers: Record<string, unknown> }>;
  /** Posts a form exactly as given (without a token unless it holds one). */
  postRaw(path: string, fields: Record<string, string>): Promise<{ status: number; text: string; headers: Record<string, unknown> }>;
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
    post: (path, fields = {}) => session.postRaw(path, { _csrf: token, ...fields }),
    async postRaw(path, fields) {
      const response = await app.http.post(path).set({ ...headers, cookie: cookieHeader(jar) }).type('form').send(fields);
      jar = cookiesFrom(response, jar);
      return response;
    },
  };
  return session;
}
