import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { RenderedMessage } from '../../src/outbox/outbox-message';
import { OutboxSender } from '../../src/outbox/outbox-sender.service';
import { OutboxService } from '../../src/outbox/outbox.service';
import { eventually, outboxFiles, renderMessages } from '../support/outbox';
import { createTestApp, TestApp } from '../support/test-app';

let app: TestApp;
let outbox: OutboxService;
let dataSource: DataSource;
const dir = mkdtempSync(join(tmpdir(), 'lanterne-outbox-'));
const messages = new Map<string, RenderedMessage | null | Error>();
const lines: string[] = [];

beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  app = await createTestApp(
    { LANTERNE_OUTBOX: `file:${dir}`, LANTERNE_OUTBOX_EMAIL: 'log', LANTERNE_OUTBOX_ATTEMPTS: '3', LANTERNE_OUTBOX_BACKOFF_MS: '20', LANTERNE_LOG_LEVEL: 'info' },
    { logDestination: destination },
  );
  outbox = app.lanterne.app.get(OutboxService);
  dataSource = app.lanterne.app.get(DataSource);
  renderMessages(app, messages);
});
afterAll(() => app.close());

const sms = (to: string, code: string): RenderedMessage => ({ channel: 'sms', to, language: 'fr', body: `Votre code Lanterne : ${code}`, code });

async function statusOf(messageId: string, expected: string) {
  return eventually(async () => {
    const status = await outbox.messageStatus(messageId);
    return status?.status === expected ? status : undefined;
  });
}

describe('sending through the outbox', () => {
  it('renders the message at send time and writes it as one JSON file once the transaction commits', async () => {
    const ref = randomUUID();
    const { messageId } = await dataSource.transaction(async (em) => {
      const queued = await outbox.enqueue(em, { kind: 'verification-code', channel: 'sms', ref });
      // Rendered at send time: what the renderer answers then is what goes out.
      messages.set(ref, sms('+32470123456', '482913'));
      return queued;
    });
    const file = (await eventually(async () => (await outboxFiles(dir)).get(messageId))) as Record<string, unknown>;
    expect(file).toEqual({ channel: 'sms', to: '+32470123456', body: 'Votre code Lanterne : 482913', code: '482913', createdAt: app.clock.now().toISOString() });
    expect(await statusOf(messageId, 'sent')).toEqual({ status: 'sent', attempts: 1, sentAt: app.clock.now() });
    const [row] = await app.sql(`SELECT * FROM outbox_messages WHERE id = $1`, [messageId]);
    expect(JSON.stringify(row)).not.toMatch(/482913|32470123456/);
  });

  it('adds no job before the commit, and sends nothing when the transaction rolls back', async () => {
    const queue = app.lanterne.app.get<Queue>(getQueueToken('outbox'));
    const ref = randomUUID();
    messages.set(ref, sms('+32470000001', '111111'));
    let inside = '';
    const committed = await dataSource.transaction(async (em) => {
      const { messageId } = await outbox.enqueue(em, { kind: 'verification-code', channel: 'sms', ref });
      inside = messageId;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await queue.getJob(messageId)).toBeUndefined();
      expect((await outboxFiles(dir)).has(messageId)).toBe(false);
      return messageId;
    });
    await eventually(async () => (await outboxFiles(dir)).get(committed));
    expect(inside).toBe(committed);

    const rolledBack = randomUUID();
    messages.set(rolledBack, sms('+32470000002', '222222'));
    let lost = '';
    await expect(
      dataSource.transaction(async (em) => {
        lost = (await outbox.enqueue(em, { kind: 'verification-code', channel: 'sms', ref: rolledBack })).messageId;
        throw new Error('the caller changes its mind');
      }),
    ).rejects.toThrow('the caller changes its mind');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await outbox.messageStatus(lost)).toBeUndefined();
    expect(await queue.getJob(lost)).toBeUndefined();
    expect((await outboxFiles(dir)).has(lost)).toBe(false);
  });

  it('drops a message its renderer no longer wants sent', async () => {
    const ref = randomUUID();
    messages.set(ref, null);
    const { messageId } = await outbox.enqueue(dataSource.manager, { kind: 'verification-code', channel: 'postal', ref });
    expect(await statusOf(messageId, 'dropped')).toEqual({ status: 'dropped', attempts: 0 });
    expect((await outboxFiles(dir)).has(messageId)).toBe(false);
  });

  it('retries a failing try, then records the message as failed with a reason that quotes nothing personal', async () => {
    const ref = randomUUID();
    messages.set(ref, Object.assign(new Error('cannot reach +32470999999'), { code: 'ECONNRESET' }));
    const { messageId } = await outbox.enqueue(dataSource.manager, { kind: 'verification-code', channel: 'sms', ref });
    const failed = await statusOf(messageId, 'failed');
    expect(failed).toEqual({ status: 'failed', attempts: 3, lastError: 'ECONNRESET', failedAt: app.clock.now() });
    expect(lines.join('\n')).not.toContain('32470999999');
  });

  it('sends a message whose job was never added, once the sweep finds it queued', async () => {
    const ref = randomUUID();
    const messageId = randomUUID();
    messages.set(ref, sms('+32470000003', '333333'));
    // As if the process had stopped between the commit and adding the job.
    await app.sql(`INSERT INTO outbox_messages (id, kind, channel, ref, created_at) VALUES ($1, 'verification-code', 'sms', $2, $3)`, [messageId, ref, app.clock.now()]);
    const sender = app.lanterne.app.get(OutboxSender);
    expect(await sender.sweep()).toBe(0);
    app.clock.advance(11_000);
    expect(await sender.sweep()).toBeGreaterThanOrEqual(1);
    expect(await eventually(async () => (await outboxFiles(dir)).get(messageId))).toMatchObject({ to: '+32470000003', code: '333333' });
    expect((await statusOf(messageId, 'sent')).attempts).toBe(1);
  });

  it('logs an e-mail sent through the log transport by channel and id, never its address or content', async () => {
    const ref = randomUUID();
    messages.set(ref, { channel: 'email', to: 'jane@example.org', language: 'en', subject: 'Your sign-in link', body: 'https://lanterne.example/sign-in/secret-token' });
    const { messageId } = await outbox.enqueue(dataSource.manager, { kind: 'verification-code', channel: 'email', ref });
    await statusOf(messageId, 'sent');
    const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.messageId === messageId);
    expect(logged).toEqual([expect.objectContaining({ channel: 'email', kind: 'verification-code' })]);
    expect(lines.join('\n')).not.toMatch(/jane@example\.org|secret-token|sign-in link/);
    expect((await outboxFiles(dir)).has(messageId)).toBe(false);
  });
});
