import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { AddressInfo, createServer as createNetServer } from 'node:net';
import { join } from 'node:path';
import { MessageRenderers } from '../../src/outbox/message-renderers';
import { RenderedMessage } from '../../src/outbox/outbox-message';
import { TestApp } from './test-app';

/** Messages rendered by ref, as the test set them (`null`: the renderer's "no longer to be sent"). */
export function renderMessages(app: TestApp, messages: Map<string, RenderedMessage | null | Error>): void {
  const renderers = app.lanterne.app.get(MessageRenderers);
  jest.spyOn(renderers, 'render').mockImplementation(async (_kind, ref) => {
    const message = messages.get(ref);
    if (message instanceof Error) throw message;
    return message ?? null;
  });
}

/** The JSON files the `file` transport wrote in `dir`, by message id. */
export async function outboxFiles(dir: string): Promise<Map<string, Record<string, unknown>>> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json'));
  const files = new Map<string, Record<string, unknown>>();
  for (const name of names) files.set(name.slice(0, -'.json'.length), JSON.parse(await readFile(join(dir, name), 'utf8')));
  return files;
}

/** Polls until `check` answers something truthy, or fails after `timeoutMs`. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

/**
 * A local HTTP server standing in for an SMS provider: it records every request and answers with the
 * next status of `statuses` (the last one thereafter) and `answer` as JSON.
 */
export async function stubHttpServer(statuses: number[], answer: unknown = {}): Promise<{ url: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      requests.push({ method: request.method ?? '', path: request.url ?? '', headers: request.headers, body: text ? JSON.parse(text) : undefined });
      const status = statuses[Math.min(requests.length - 1, statuses.length - 1)];
      response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(status < 300 ? answer : { message: 'unavailable' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface RecordedMail {
  from: string;
  to: string[];
  data: string;
}

/**
 * A local SMTP server speaking just enough of RFC 5321 for nodemailer: no TLS, no authentication. It
 * refuses the recipient with the next code of `rcptCodes` (250 once they run out), then records the mail.
 */
export async function stubSmtpServer(rcptCodes: number[] = []): Promise<{ url: string; mails: RecordedMail[]; close(): Promise<void> }> {
  const mails: RecordedMail[] = [];
  const refusals = [...rcptCodes];
  const server = createNetServer((socket) => {
    let buffer = '';
    let inData = false;
    let mail: RecordedMail = { from: '', to: [], data: '' };
    const reply = (line: string) => socket.write(`${line}\r\n`);
    reply('220 stub ESMTP');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          mail.data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          mails.push(mail);
          mail = { from: '', to: [], data: '' };
          reply('250 queued');
          continue;
        }
        const end = buffer.indexOf('\r\n');
        if (end < 0) return;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'MAIL') mail.from = line.slice(10);
        if (verb === 'DATA') inData = true;
        if (verb === 'RSET') mail = { from: '', to: [], data: '' };
        if (verb === 'RCPT') {
          const code = refusals.shift() ?? 250;
          if (code === 250) mail.to.push(line.slice(8));
          reply(code === 250 ? '250 ok' : `${code} refused`);
        } else {
          reply(({ EHLO: '250-stub\r\n250 8BITMIME', HELO: '250 stub', DATA: '354 go on', QUIT: '221 bye' } as Record<string, string>)[verb] ?? '250 ok');
        }
        if (verb === 'QUIT') socket.end();
      }
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
