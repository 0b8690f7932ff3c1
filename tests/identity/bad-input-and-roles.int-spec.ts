import { Writable } from 'node:stream';
import { makeSubscriber } from '../factories/subscriber.factory';
import { call, expectBadInput, expectForbidden, Method, withIds } from '../support/refusals';
import { createTestApp, TestApp } from '../support/test-app';
import { confirm, lastMessageOf, memberToken, outboxDir, startVerification } from '../support/verification';

const dir = outboxDir();
const logLines: string[] = [];
let app: TestApp;
let tech: string;
let ccj: string;
let member: string;
let subscriberId: string;
let verificationId: string;
let letterId: string;
const TABLES = ['verifications', 'subscriber_data_keys', 'identities', 'outbox_messages', 'ledger_leaves'];

beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${dir}`, LANTERNE_LOG_LEVEL: 'debug' }, { logDestination: destination });
  tech = await app.tokenFor('technician');
  ccj = await app.tokenFor('ccj');
  subscriberId = (await makeSubscriber(app, tech)).id;
  member = await memberToken(app, subscriberId);
  verificationId = (await startVerification(app, tech, subscriberId, { method: 'sms', phone: '+32476543210', legalName: 'Olivia Vermeersch' })).id;
  letterId = (await startVerification(app, tech, subscriberId, {
    method: 'postal',
    legalName: 'Olivia Vermeersch',
    address: { line1: 'Rue Haute 301', postalCode: '1000', city: 'Bruxelles', country: 'BE' },
  })).id;
});
afterAll(() => app.close());

const fill = <T>(value: T): T => withIds(value, { subscriber: subscriberId, verification: verificationId, letter: letterId });
const address = { line1: 'Rue Haute 1', postalCode: '1000', city: 'Bruxelles', country: 'BE' };

describe('bad input on every verification route: a 400 problem naming the field, and nothing written', () => {
  const start = '/api/v1/subscribers/:subscriber/verifications';
  const cases: [Method, string, object | undefined, string][] = [
    ['post', start, { method: 'sms' }, 'phone'],
    ['post', start, { method: 'sms', phone: '12' }, 'phone'],
    ['post', start, { method: 'sms', phone: '+32 2 555 12 12' }, 'phone'],
    ['post', start, { method: 'sms', phone: '+32470123456', address }, 'address'],
    ['post', start, { method: 'email', phone: '+32470123456' }, 'method'],
    ['post', start, { phone: '+32470123456' }, 'method'],
    ['post', start, { method: 'postal', address }, 'legalName'],
    ['post', start, { method: 'postal', legalName: 'A B' }, 'address'],
    ['post', start, { method: 'postal', legalName: 'A B', address, phone: '+32470123456' }, 'phone'],
    ['post', start, { method: 'postal', legalName: 'A B', address: { ...address, postalCode: '10000' } }, 'address.postalCode'],
    ['post', start, { method: 'postal', legalName: 'A B', address: { ...address, postalCode: '1012', country: 'NL' } }, 'address.postalCode'],
    ['post', start, { method: 'postal', legalName: 'A B', address: { ...address, postalCode: '7501', country: 'FR' } }, 'address.postalCode'],
    ['post', start, { method: 'postal', legalName: 'A B', address: { ...address, country: 'US' } }, 'address.country'],
    ['post', start, { method: 'postal', legalName: 'A B', address: { ...address, country: 'be' } }, 'address.country'],
    ['post', start, { method: 'postal', legalName: 'A B', address: { ...address, line1: '' } }, 'address.line1'],
    ['post', start, { method: 'postal', legalName: 'A B', address: { ...address, floor: 3 } }, 'address'],
    ['post', start, { method: 'postal', legalName: '   ', address }, 'legalName'],
    ['post', start, { method: 'sms', phone: '+32470123456', legalName: 'A\u0000B' }, 'legalName'],
    // No identity document of any kind: the vault has no field for one.
    ['post', start, { method: 'sms', phone: '+32470123456', idCardNumber: '591-1234567-89' }, ''],
    ['post', start, { method: 'sms', phone: '+32470123456', idCardImage: 'data:image/jpeg;base64,/9j/4AAQ' }, ''],
    ['post', '/api/v1/subscribers/not-a-uuid/verifications', { method: 'sms', phone: '+32470123456' }, 'id'],
    ['get', '/api/v1/subscribers/:subscriber/verifications?limit=0', undefined, 'limit'],
    ['get', '/api/v1/subscribers/not-a-uuid/verifications', undefined, 'id'],
    ['post', '/api/v1/verifications/:verification/confirm', { code: '12345' }, 'code'],
    ['post', '/api/v1/verifications/:verification/confirm', { code: 123456 }, 'code'],
    ['post', '/api/v1/verifications/:verification/confirm', { code: '１２３４５６' }, 'code'],
    ['post', '/api/v1/verifications/:verification/confirm', {}, 'code'],
    ['post', '/api/v1/verifications/:verification/confirm', { code: '123456', attempts: 0 }, ''],
    ['post', '/api/v1/verifications/not-a-uuid/confirm', { code: '123456' }, 'id'],
    ['post', '/api/v1/verifications/not-a-uuid/resend', undefined, 'id'],
    ['get', '/api/v1/verifications/not-a-uuid', undefined, 'id'],
    ['get', '/api/v1/verifications/not-a-uuid/letter.pdf', undefined, 'id'],
    ['get', '/api/v1/verifications/letters.pdf?status=sent', undefined, 'status'],
    ['get', '/api/v1/verifications/letters.pdf', undefined, 'status'],
    ['get', '/api/v1/verifications/letters.pdf?status=pending&since=yesterday', undefined, 'since'],
  ];
  it.each(cases)('%s %s %j → 400 on %p', (method, path, body, field) => expectBadInput(app, tech, TABLES, method, fill(path), fill(body), field));

  it('a-malformed-code-costs-no-attempt', async () => {
    const [{ attempts }] = await app.sql<{ attempts: number }>('SELECT attempts FROM verifications WHERE id = $1', [verificationId]);
    expect(attempts).toBe(0);
  });
});

describe('roles', () => {
  const routes: [Method, string, object | undefined][] = [
    ['post', '/api/v1/subscribers/:subscriber/verifications', { method: 'sms', phone: '+32470123456' }],
    ['get', '/api/v1/subscribers/:subscriber/verifications', undefined],
    ['get', '/api/v1/verifications/:verification', undefined],
    ['post', '/api/v1/verifications/:verification/resend', undefined],
    ['get', '/api/v1/verifications/:letter/letter.pdf', undefined],
    ['get', '/api/v1/verifications/letters.pdf?status=pending', undefined],
  ];
  it.each(routes)('%s %s is 403 for the ccj and for a member, even about themselves', async (method, path, body) => {
    await expectForbidden(app, ccj, TABLES, method, fill(path), fill(body));
    await expectForbidden(app, member, TABLES, method, fill(path), fill(body));
  });

  it('only-a-member-or-a-technician-confirms-not-the-ccj-nor-an-admin', async () => {
    for (const token of [ccj, app.adminToken]) await expectForbidden(app, token, TABLES, 'post', fill('/api/v1/verifications/:verification/confirm'), { code: '000000' });
  });

  it('admins-may-start-a-verification-but-not-print-its-letter', async () => {
    const started = await call(app, app.adminToken, 'post', fill('/api/v1/subscribers/:subscriber/verifications'), { method: 'sms', phone: '+32476000001' });
    expect(started.status).toBe(201);
    await expectForbidden(app, app.adminToken, TABLES, 'get', fill('/api/v1/verifications/:letter/letter.pdf'), undefined);
  });
});

describe('no door to an identity but readFor', () => {
  it('only-the-members-own-export-and-an-adopted-disclosure-answer-a-legal-name-a-phone-or-an-address-and-no-input-takes-an-identity-document', async () => {
    const document = (await app.http.get('/api/v1/openapi.json')).body;
    const schemas = document.components.schemas as Record<string, unknown>;
    // An answer with every component it references spelled out, so that a field cannot hide behind a $ref.
    const expand = (node: unknown, seen: Set<string>): unknown => {
      if (Array.isArray(node)) return node.map((item) => expand(item, seen));
      if (!node || typeof node !== 'object') return node;
      const ref = (node as { $ref?: string }).$ref;
      if (ref?.startsWith('#/components/schemas/')) {
        const name = ref.split('/').pop() as string;
        return seen.has(name) ? {} : expand(schemas[name], new Set([...seen, name]));
      }
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, expand(value, seen)]));
    };
    const identityFields = /"(legalName|phone|line1|postalCode|verifiedContact)"/;
    const carrying: string[] = [];
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, { operationId: string; responses: unknown }>>)) {
      for (const [method, operation] of Object.entries(item)) {
        if (identityFields.test(JSON.stringify(expand(operation.responses, new Set())))) carrying.push(`${method} ${path} ${operation.operationId}`);
      }
    }
    // The vault's one door (readFor) serves these alone: the member reading their own data, and the ccj circle executing an adopted comply decision.
    expect(carrying.map((line) => line.split(' ')[2]).sort()).toEqual(['discloseLegalRequest', 'exportMyData', 'getLegalRequest']);
    expect(JSON.stringify(document)).not.toMatch(/id.?card|passport|identity.?(number|document|image)|scan/i);
  });

  it('repeats-no-personal-value-in-a-problem-document', async () => {
    const answers = await Promise.all([
      call(app, tech, 'post', fill('/api/v1/subscribers/:subscriber/verifications'), { method: 'sms', phone: '+32 2 555 12 12', legalName: 'Patrice Wouters' }),
      call(app, tech, 'post', fill('/api/v1/subscribers/:subscriber/verifications'), {
        method: 'postal',
        legalName: 'Patrice Wouters',
        address: { line1: 'Rue des Bouchers 7', postalCode: '99999', city: 'Namur', country: 'BE' },
      }),
      call(app, tech, 'post', fill('/api/v1/verifications/:verification/confirm'), { code: '98765' }),
    ]);
    for (const answer of answers) {
      expect(answer.status).toBe(400);
      for (const value of ['555 12 12', 'Patrice', 'Wouters', 'Bouchers', '99999', 'Namur', '98765']) expect(answer.text).not.toContain(value);
    }
  });

  it('logs-nothing-personal-through-a-whole-verification', async () => {
    const subscriber = await makeSubscriber(app, tech);
    const v = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '+32 477 88 99 00', legalName: 'Séverine Tilquin' });
    const { code } = await lastMessageOf(app, dir, v.id);
    await confirm(app, tech, v.id, String((Number(code) + 1) % 1_000_000).padStart(6, '0'));
    await confirm(app, member, v.id, code);
    await confirm(app, tech, v.id, code);
    const logs = logLines.join('');
    // The requests were logged (by route template), the values in them were not.
    expect(logs).toContain('/api/v1/verifications/:id/confirm');
    for (const secret of ['477 88 99 00', '+32477889900', 'Séverine', 'Tilquin', 'Vermeersch', 'Rue Haute', code]) expect(logs).not.toContain(secret);
  });
});
