import { SYSTEM_ACTOR } from '../../src/common/access';
import { IdentityService } from '../../src/identity/identity.service';
import { makeSubscriber } from '../factories/subscriber.factory';
import { eventually } from '../support/outbox';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { confirm, lastMessageOf, memberToken, outboxDir, startVerification, wrongCode } from '../support/verification';

const dir = outboxDir();
let app: TestApp;
let tech: string;
let identities: IdentityService;

beforeAll(async () => {
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${dir}` });
  tech = await app.tokenFor('technician');
  identities = app.lanterne.app.get(IdentityService);
});
afterAll(() => app.close());

const readIdentity = (subscriberId: string) => identities.readFor('test: what the vault holds', subscriberId, SYSTEM_ACTOR, { purposeCategory: 'audit' });
const verificationRow = async (id: string) => (await app.sql('SELECT * FROM verifications WHERE id = $1', [id]))[0];

describe('verification by SMS', () => {
  it('sends-a-code-that-the-member-confirms-sealing-the-phone-and-activating-them', async () => {
    const subscriber = await makeSubscriber(app, tech);
    const member = await memberToken(app, subscriber.id);
    const started = await app.http
      .post(`/api/v1/subscribers/${subscriber.id}/verifications`)
      .set(bearer(tech))
      .send({ method: 'sms', phone: '0470 12 34 56', legalName: 'Alice Martin' });
    expect(started.status).toBe(201);
    expect(started.body).toEqual({ id: expect.any(String), method: 'sms', status: 'sent', expiresAt: new Date(app.clock.now().getTime() + 15 * 60_000).toISOString() });

    const message = await lastMessageOf(app, dir, started.body.id);
    expect(message).toMatchObject({ channel: 'sms', to: '+32470123456', code: expect.stringMatching(/^\d{6}$/) });
    expect(message.body).toContain(message.code);
    expect(message.body).toMatch(/^Lanterne : votre code/);

    const confirmed = await confirm(app, member, started.body.id, message.code);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toEqual({ status: 'verified' });
    expect((await app.http.get(`/api/v1/subscribers/${subscriber.id}`).set(bearer(tech))).body.status).toBe('active');
    expect(await readIdentity(subscriber.id)).toEqual({
      subscriberId: subscriber.id,
      legalName: 'Alice Martin',
      verifiedContact: { method: 'sms', value: '+32470123456', verifiedAt: app.clock.now() },
    });
    // The code is erased with everything the verification was holding.
    expect(await verificationRow(started.body.id)).toMatchObject({ status: 'verified', code_hash: null, sealed_code: null, pending_contact: null, pending_legal_name: null });
    expect((await confirm(app, member, started.body.id, message.code)).status).toBe(409);
  });

  it('speaks-english-to-a-member-whose-language-is-not-french', async () => {
    const subscriber = await makeSubscriber(app, tech, { language: 'en' });
    const v = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '+33 6 12 34 56 78' });
    const message = await lastMessageOf(app, dir, v.id);
    expect(message.to).toBe('+33612345678');
    expect(message.body).toMatch(/^Lanterne: your verification code is \d{6}\./);
  });

  it('counts-wrong-codes-and-locks-at-the-fifth-after-which-even-the-right-code-is-refused', async () => {
    const subscriber = await makeSubscriber(app, tech);
    const v = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '+32470000001' });
    const { code } = await lastMessageOf(app, dir, v.id);
    for (const attemptsLeft of [4, 3, 2, 1, 0]) {
      const wrong = await confirm(app, tech, v.id, wrongCode(code));
      expect(wrong.status).toBe(422);
      expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(wrong.body).toMatchObject({ status: 422, attemptsLeft });
    }
    const after = await confirm(app, tech, v.id, code);
    expect(after.status).toBe(409);
    expect(after.body).toMatchObject({ verificationStatus: 'locked' });
    expect(await verificationRow(v.id)).toMatchObject({ status: 'locked', attempts: 5, code_hash: null, sealed_code: null });
    expect(await readIdentity(subscriber.id)).toBeNull();
    expect((await app.http.get(`/api/v1/subscribers/${subscriber.id}`).set(bearer(tech))).body.status).toBe('pending');
  });

  it('refuses-a-code-typed-after-15-minutes-and-erases-it', async () => {
    const subscriber = await makeSubscriber(app, tech);
    const v = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '+32470000002' });
    const { code } = await lastMessageOf(app, dir, v.id);
    app.clock.advance(15 * 60_000);
    try {
      const late = await confirm(app, tech, v.id, code);
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({ verificationStatus: 'expired' });
      expect(await verificationRow(v.id)).toMatchObject({ status: 'expired', code_hash: null, sealed_code: null, pending_contact: null });
    } finally {
      app.clock.advance(-15 * 60_000);
    }
  });

  it('resends-at-most-three-times-at-least-60-seconds-apart-the-same-code', async () => {
    const subscriber = await makeSubscriber(app, tech);
    const v = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '+32470000003' });
    const first = await lastMessageOf(app, dir, v.id);
    const resend = () => app.http.post(`/api/v1/verifications/${v.id}/resend`).set(bearer(tech));
    const start = app.clock.now();
    try {
      app.clock.advance(20_000);
      const soon = await resend();
      expect(soon.status).toBe(429);
      expect(soon.headers['retry-after']).toBe('40');
      app.clock.advance(40_000);
      const second = await resend();
      expect(second.status).toBe(200);
      expect(second.body).toMatchObject({ id: v.id, sends: 2, status: 'sent' });
      expect((await lastMessageOf(app, dir, v.id)).code).toBe(first.code);
      app.clock.advance(60_000);
      expect((await resend()).body).toMatchObject({ sends: 3 });
      app.clock.advance(60_000);
      const fourth = await resend();
      expect(fourth.status).toBe(429);
      expect(Number(fourth.headers['retry-after'])).toBe(15 * 60 - 180);
      expect((await app.http.get(`/api/v1/verifications/${v.id}`).set(bearer(tech))).body).toMatchObject({ sends: 3 });
    } finally {
      app.clock.set(start);
    }
  });

  it('lets-exactly-one-of-concurrent-confirmations-of-one-code-succeed', async () => {
    const subscriber = await makeSubscriber(app, tech);
    const v = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '+32470000004' });
    const { code } = await lastMessageOf(app, dir, v.id);
    const answers = await Promise.all(Array.from({ length: 6 }, () => confirm(app, tech, v.id, code)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const confirmedEntries = await app.sql(`SELECT 1 FROM ledger_leaves WHERE subject = $1 AND convert_from(leaf, 'UTF8')::jsonb->>'action' = 'verification.confirmed'`, [subscriber.id]);
    expect(confirmedEntries).toHaveLength(1);
  });

  it('keeps-the-earlier-verified-contact-until-a-new-verification-succeeds', async () => {
    const subscriber = await makeSubscriber(app, tech);
    const first = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '+32470000005', legalName: 'Bea Peeters' });
    expect((await confirm(app, tech, first.id, (await lastMessageOf(app, dir, first.id)).code)).status).toBe(200);
    const second = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '+32470000006' });
    const { code } = await lastMessageOf(app, dir, second.id);
    expect((await readIdentity(subscriber.id))?.verifiedContact.value).toBe('+32470000005');
    expect((await confirm(app, tech, second.id, wrongCode(code))).status).toBe(422);
    expect((await readIdentity(subscriber.id))?.verifiedContact.value).toBe('+32470000005');
    expect((await confirm(app, tech, second.id, code)).status).toBe(200);
    // The new contact replaces the old; the name verified earlier stays, this verification having none.
    expect(await readIdentity(subscriber.id)).toMatchObject({ legalName: 'Bea Peeters', verifiedContact: { method: 'sms', value: '+32470000006' } });
  });

  it('shows-a-technician-the-state-of-a-verification-and-its-delivery-without-any-personal-value', async () => {
    const subscriber = await makeSubscriber(app, tech);
    const v = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '+32470000007', legalName: 'Chloé Dubois' });
    const { code } = await lastMessageOf(app, dir, v.id);
    const view = await eventually(async () => {
      const r = await app.http.get(`/api/v1/verifications/${v.id}`).set(bearer(tech));
      return r.body.delivery === 'sent' ? r : undefined;
    });
    expect(view.body).toMatchObject({ id: v.id, subscriberId: subscriber.id, method: 'sms', status: 'sent', attemptsLeft: 5, sends: 1, delivery: 'sent' });
    const list = await app.http.get(`/api/v1/subscribers/${subscriber.id}/verifications`).set(bearer(tech));
    expect(list.body).toMatchObject({ total: 1, items: [{ id: v.id }] });
    for (const text of [view.text, list.text]) {
      expect(text).not.toContain('470000007');
      expect(text).not.toContain('Chloé');
      expect(text).not.toContain(code);
    }
  });
});

describe('verification by post', () => {
  it('sends-a-letter-whose-code-a-technician-confirms-sealing-the-name-and-address', async () => {
    const subscriber = await makeSubscriber(app, tech);
    const started = await app.http
      .post(`/api/v1/subscribers/${subscriber.id}/verifications`)
      .set(bearer(tech))
      .send({ method: 'postal', legalName: 'Daan de Vries', address: { line1: 'Damrak 1', postalCode: '1012lg', city: 'Amsterdam', country: 'NL' } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ method: 'postal', status: 'sent', expiresAt: new Date(app.clock.now().getTime() + 30 * 86_400_000).toISOString() });
    const message = await lastMessageOf(app, dir, started.body.id);
    expect(message).toMatchObject({ channel: 'postal', to: 'Damrak 1, 1012 LG Amsterdam, NL', code: expect.stringMatching(/^\d{6}$/) });
    expect((await confirm(app, tech, started.body.id, message.code)).status).toBe(200);
    expect(await readIdentity(subscriber.id)).toEqual({
      subscriberId: subscriber.id,
      legalName: 'Daan de Vries',
      verifiedContact: {
        method: 'postal',
        value: 'Damrak 1, 1012 LG Amsterdam, NL',
        address: { line1: 'Damrak 1', postalCode: '1012 LG', city: 'Amsterdam', country: 'NL' },
        verifiedAt: app.clock.now(),
      },
    });
  });

  it('keeps-a-letter-code-valid-30-days-and-no-longer', async () => {
    const subscriber = await makeSubscriber(app, tech);
    const address = { line1: 'Rue de Rivoli 1', postalCode: '75001', city: 'Paris', country: 'FR' };
    const late = await startVerification(app, tech, subscriber.id, { method: 'postal', legalName: 'Élise Durand', address });
    const onTime = await startVerification(app, tech, subscriber.id, { method: 'postal', legalName: 'Élise Durand', address });
    const start = app.clock.now();
    try {
      app.clock.advance(30 * 86_400_000 - 1000);
      expect((await confirm(app, tech, onTime.id, (await lastMessageOf(app, dir, onTime.id)).code)).status).toBe(200);
      app.clock.advance(1000);
      expect((await confirm(app, tech, late.id, (await lastMessageOf(app, dir, late.id)).code)).status).toBe(409);
    } finally {
      app.clock.set(start);
    }
  });
});

describe('who may confirm', () => {
  it('refuses-a-member-confirming-the-verification-of-another-member', async () => {
    const subscriber = await makeSubscriber(app, tech);
    const other = await makeSubscriber(app, tech);
    const v = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '+32470000008' });
    const { code } = await lastMessageOf(app, dir, v.id);
    const answer = await confirm(app, await memberToken(app, other.id), v.id, code);
    expect(answer.status).toBe(403);
    expect(await verificationRow(v.id)).toMatchObject({ status: 'sent', attempts: 0 });
  });

  it('refuses-to-verify-a-terminated-member', async () => {
    const subscriber = await makeSubscriber(app, tech);
    await app.http.post(`/api/v1/subscribers/${subscriber.id}/terminate`).set(bearer(tech)).send({});
    const answer = await app.http.post(`/api/v1/subscribers/${subscriber.id}/verifications`).set(bearer(tech)).send({ method: 'sms', phone: '+32470000009' });
    expect(answer.status).toBe(409);
    expect(await app.sql('SELECT 1 FROM verifications WHERE subscriber_id = $1', [subscriber.id])).toEqual([]);
  });
});
