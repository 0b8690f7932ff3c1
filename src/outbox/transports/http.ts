import { TransportError } from '../transport';

/** How long a provider may take to answer before the try counts as failed (and is retried). */
export const HTTP_TIMEOUT_MS = 15_000;

/** A JSON request whose non-2xx answer is a `TransportError` naming the status, never the answer's text. */
export async function requestJson<T>(method: string, url: string, body: unknown, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
    redirect: 'error',
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new TransportError(`HTTP ${response.status}`);
  }
  const text = await response.text();
  return (text === '' ? undefined : JSON.parse(text)) as T;
}
