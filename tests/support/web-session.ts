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
