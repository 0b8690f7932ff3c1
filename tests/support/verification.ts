import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, outboxFiles } from './outbox';
import type { TestApp } from './test-app';
import { bearer } from './test-app';

/** A directory for the `file` outbox: each message the service sends lands there as one JSON file. */
export const outboxDir = () => mkdtempSync(join(tmpdir(), 'lanterne-identity-outbox-'));

/** The message the outbox wrote for the latest send of a verification, as a member would receive it. */
export async function lastMessageOf(app: TestApp, dir: string, verificationId: string): Promise<{ channel: string; to: string; body: string; code: string }> {
  const [{ last_message_id: messageId }] = await app.sql<{ last_message_id: string }>('SELECT last_message_id FROM verifications WHERE id = $1', [verificationId]);
  return (await eventually(async () => (await outboxFiles(dir)).get(messageId))) as { channel: string; to: string; body: string; code: string };
}

export async function startVerification(app: TestApp, token: string, subscriberId: string, body: object): Promise<{ id: string; expiresAt: string }> {
  const response = await app.http.post(`/api/v1/subscribers/${subscriberId}/verifications`).set(bearer(token)).send(body);
  if (response.status !== 201) throw new Error(`startVerification: ${response.status} ${response.text}`);
  return response.body;
}

export const confirm = (app: TestApp, token: string, verificationId: string, code: string) =>
  app.http.post(`/api/v1/verifications/${verificationId}/confirm`).set(bearer(token)).send({ code });

/** A member account for a subscriber, as an admin creates it. */
export async function memberToken(app: TestApp, subscriberId: string): Promise<string> {
  const created = await app.http.post('/api/v1/users').set(bearer(app.adminToken)).send({ name: 'member', roles: ['member'], subscriberId });
  if (created.status !== 201) throw new Error(`memberToken: ${created.status} ${created.text}`);
  return created.body.token;
}

/** Any other code than `code`: a wrong guess. */
export const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
