import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { RenderedMessage } from '../../src/outbox/outbox-message';
import { OutboxService } from '../../src/outbox/outbox.service';
import { eventually, renderMessages } from '../support/outbox';
import { expectBadInput, expectForbidden, outsiderTokens } from '../support/refusals';
import { bearer, createTestApp, TestApp } from '../support/test-app';

let app: TestApp;
let technician: string;
const messages = new Map<string, RenderedMessage | null | Error>();
const ids: Record<'sent' | 'failed' | 'dropped', string> = { sent: '', failed: '', dropped: '' };
const refs = { sent: randomUUID(), failed: randomUUID(), dropped: randomUUID() };
const path = '/api/v1/outbox/messages';

beforeAll(async () => {
  app = await createTestApp(
    { LANTERNE_OUTBOX: `file:${mkdtempSync(join(tmpdir(), 'lanterne-outbox-'))}`, LANTERNE_OUTBOX_ATTEMPTS: '2', LANTERNE_OUTBOX_BACKOFF_MS: '20' },
  );
  technician = await app.tokenFor('technician');
  renderMessages(app, messages);
  messages.set(refs.sent, { channel: 'sms', to: '+32470123456', language: 'fr', body: 'Votre code : 482913', code: '482913' });
  messages.set(refs.failed, Object.assign(new Error('no route to +32470999999'), { code: 'EHOSTUNREACH' }));
  messages.set(refs.dropped, null);
  const outbox = app.lanterne.app.get(OutboxService);
  const dataSource = app.lanterne.app.get(DataSource);
  for (const outcome of ['sent', 'failed', 'dropped'] as const) {
    ids[outcome] = (await dataSource.transaction((em) => outbox.enqueue(em, { kind: 'verification-code', channel: outcome === 'dropped' ? 'postal' : 'sms', ref: refs[outcome] }))).messageId;
    await eventually(async () => (await outbox.messageStatus(ids[outcome]))?.status === outcome);
  }
});
afterAll(() => app.close());

describe('GET /outbox/messages', () => {
  it('shows the technician a failed message with its tries and reason, and nothing of its address or content', async () => {
    const response = await app.http.get(path).query({ status: 'failed' }).set(bearer(technician));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      items: [
        {
          id: ids.failed,
          kind: 'verification-code',
          channel: 'sms',
          ref: refs.failed,
          status: 'failed',
          attempts: 2,
          lastError: 'EHOSTUNREACH',
          createdAt: app.clock.now().toISOString(),
          sentAt: null,
          failedAt: app.clock.now().toISOString(),
          droppedAt: null,
        },
      ],
      total: 1,
      limit: 50,
      offset: 0,
    });
  });

  it('lists every message, filtered by kind or by what it was sent for, page by page', async () => {
    const all = await app.http.get(path).query({ kind: 'verification-code', limit: '2' }).set(bearer(app.adminToken));
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(all.body.items).toHaveLength(2);
    const rest = await app.http.get(path).query({ limit: '2', offset: '2' }).set(bearer(app.adminToken));
    expect(rest.body.items).toHaveLength(1);
    expect(new Set([...all.body.items, ...rest.body.items].map((item: { id: string }) => item.id))).toEqual(new Set(Object.values(ids)));

    const sent = await app.http.get(path).query({ ref: refs.sent }).set(bearer(technician));
    expect(sent.body.items).toEqual([expect.objectContaining({ id: ids.sent, status: 'sent', attempts: 1, lastError: null, sentAt: app.clock.now().toISOString() })]);
    expect(JSON.stringify((await app.http.get(path).set(bearer(technician))).body)).not.toMatch(/482913|32470/);
  });

  it.each([
    [{ status: 'lost' }, 'status'],
    [{ kind: 'newsletter' }, 'kind'],
    [{ ref: 'not-a-uuid' }, 'ref'],
    [{ limit: '0' }, 'limit'],
    [{ offset: '-1' }, 'offset'],
  ])('refuses %j with a 400 naming %s, changing nothing', async (query, field) => {
    await expectBadInput(app, technician, ['outbox_messages'], 'get', `${path}?${new URLSearchParams(query)}`, undefined, field);
  });

  it('is for technicians and admins only', async () => {
    const { ccj, member } = await outsiderTokens(app, technician);
    await expectForbidden(app, ccj, ['outbox_messages'], 'get', path, undefined);
    await expectForbidden(app, member, ['outbox_messages'], 'get', path, undefined);
    expect((await app.http.get(path)).status).toBe(401);
  });
});
