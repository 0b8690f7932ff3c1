import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { RenderedMessage } from '../../src/outbox/outbox-message';
import { OutboxService } from '../../src/outbox/outbox.service';
import { eventually, renderMessages, stubHttpServer, stubSmtpServer } from '../support/outbox';
import { createTestApp, TestApp } from '../support/test-app';

const messages = new Map<string, RenderedMessage | null | Error>();

async function start(env: Record<string, string>) {
  const app = await createTestApp({ LANTERNE_OUTBOX_ATTEMPTS: '3', LANTERNE_OUTBOX_BACKOFF_MS: '20', ...env });
  renderMessages(app, messages);
  return app;
}

async function send(app: TestApp, message: RenderedMessage, expected: 'sent' | 'failed') {
  const ref = randomUUID();
  messages.set(ref, message);
  const outbox = app.lanterne.app.get(OutboxService);
  const { messageId } = await app.lanterne.app.get(DataSource).transaction((em) => outbox.enqueue(em, { kind: 'verification-code', channel: message.channel, ref }));
  const status = await eventually(async () => {
    const current = await outbox.messageStatus(messageId);
    return current?.status === expected ? current : undefined;
  });
  return { messageId, status };
}

const sms = (to: string, code: string): RenderedMessage => ({ channel: 'sms', to, language: 'en', body: `Your Lanterne code: ${code}`, code });

describe('the SMS Gateway for Android and SMTP transports', () => {
  let app: TestApp;
  let phone: Awaited<ReturnType<typeof stubHttpServer>>;
  let smtp: Awaited<ReturnType<typeof stubSmtpServer>>;

  beforeAll(async () => {
    phone = await stubHttpServer([503, 202], { id: 'gw-1', state: 'Pending', recipients: [{ phoneNumber: '+32470123456', state: 'Pending' }] });
    smtp = await stubSmtpServer([451]);
    app = await start({
      LANTERNE_OUTBOX_SMS: 'sms-gateway',
      LANTERNE_SMS_GATEWAY_URL: `${phone.url}/`,
      LANTERNE_SMS_GATEWAY_USERNAME: 'sms',
      LANTERNE_SMS_GATEWAY_PASSWORD: 'phone-password',
      LANTERNE_OUTBOX_EMAIL: 'smtp',
      LANTERNE_SMTP_URL: smtp.url,
      LANTERNE_MAIL_FROM: 'Réseau Libre <lanterne@example.org>',
    });
  });
  afterAll(async () => {
    await app.close();
    await phone.close();
    await smtp.close();
  });

  it('sends an SMS through the phone, retrying after its 503', async () => {
    const { status } = await send(app, sms('+32470123456', '482913'), 'sent');
    expect(status).toMatchObject({ status: 'sent', attempts: 2 });
    expect(phone.requests).toHaveLength(2);
    for (const request of phone.requests) {
      expect(request).toMatchObject({ method: 'POST', path: '/message', body: { message: 'Your Lanterne code: 482913', phoneNumbers: ['+32470123456'] } });
      expect(request.headers.authorization).toBe(`Basic ${Buffer.from('sms:phone-password').toString('base64')}`);
    }
  });

  it('sends an e-mail over SMTP, retrying after a temporary refusal of the recipient', async () => {
    const { status } = await send(app, { channel: 'email', to: 'jane@example.org', language: 'en', subject: 'Your sign-in link', body: 'https://lanterne.example/s/abc' }, 'sent');
    expect(status).toMatchObject({ status: 'sent', attempts: 2 });
    expect(smtp.mails).toHaveLength(1);
    const [mail] = smtp.mails;
    expect(mail.to).toEqual(['<jane@example.org>']);
    expect(mail.from).toBe('<lanterne@example.org>');
    expect(mail.data).toMatch(/^Subject: Your sign-in link$/m);
    expect(mail.data).toContain('https://lanterne.example/s/abc');
  });
});

describe('the SMS webhook transport', () => {
  let app: TestApp;
  let provider: Awaited<ReturnType<typeof stubHttpServer>>;

  beforeAll(async () => {
    provider = await stubHttpServer([503, 200, 500]);
    app = await start({ LANTERNE_OUTBOX_SMS: 'webhook', LANTERNE_SMS_WEBHOOK_URL: `${provider.url}/sms/send`, LANTERNE_SMS_WEBHOOK_TOKEN: 'provider-token' });
  });
  afterAll(async () => {
    await app.close();
    await provider.close();
  });

  it('posts the SMS with the bearer token, retrying after a 503 with the same idempotency key', async () => {
    const { messageId, status } = await send(app, sms('+33612345678', '105736'), 'sent');
    expect(status).toMatchObject({ status: 'sent', attempts: 2 });
    expect(provider.requests).toHaveLength(2);
    for (const request of provider.requests) {
      expect(request).toMatchObject({ method: 'POST', path: '/sms/send', body: { to: '+33612345678', body: 'Your Lanterne code: 105736' } });
      expect(request.headers).toMatchObject({ authorization: 'Bearer provider-token', 'idempotency-key': messageId, 'content-type': 'application/json' });
    }
  });

  it('records a message the provider keeps refusing as failed, with the HTTP status as its reason', async () => {
    const before = provider.requests.length;
    const { status } = await send(app, sms('+33612345679', '999999'), 'failed');
    expect(status).toEqual({ status: 'failed', attempts: 3, lastError: 'HTTP 500', failedAt: app.clock.now() });
    expect(provider.requests.length - before).toBe(3);
  });
});
