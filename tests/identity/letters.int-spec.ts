import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { makeSubscriber } from '../factories/subscriber.factory';
import { bearer, createTestApp, TestApp } from '../support/test-app';
import { confirm, lastMessageOf, outboxDir, startVerification } from '../support/verification';

const dir = outboxDir();
const pdfs = mkdtempSync(join(tmpdir(), 'lanterne-letters-'));
let app: TestApp;
let tech: string;

beforeAll(async () => {
  app = await createTestApp({ LANTERNE_OUTBOX: `file:${dir}` });
  tech = await app.tokenFor('technician');
});
afterAll(() => app.close());

/** The text of a PDF answer, as pdftotext reads it. */
function pdfText(response: Response): string {
  const file = join(pdfs, `${Math.random().toString(36).slice(2)}.pdf`);
  writeFileSync(file, response.body as Buffer);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

const getPdf = (path: string, token = tech) =>
  app.http
    .get(path)
    .set(bearer(token))
    .buffer(true)
    .parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });

const printed = async (verificationId: string) =>
  (await app.sql(`SELECT 1 FROM ledger_leaves WHERE convert_from(leaf, 'UTF8')::jsonb->>'action' = 'verification.letter-printed' AND convert_from(leaf, 'UTF8')::jsonb->'refs'->>'verification' = $1`, [verificationId])).length;

describe('letters to print', () => {
  it('prints-the-letter-of-a-pending-postal-verification-with-its-address-and-code-and-records-the-printing', async () => {
    const subscriber = await makeSubscriber(app, tech);
    const v = await startVerification(app, tech, subscriber.id, {
      method: 'postal',
      legalName: 'Françoise Lejeune',
      address: { line1: 'Rue des Glycines 12', line2: 'Boîte 4', postalCode: '4000', city: 'Liège', country: 'BE' },
    });
    const { code } = await lastMessageOf(app, dir, v.id);
    const response = await getPdf(`/api/v1/verifications/${v.id}/letter.pdf`);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/pdf/);
    const text = pdfText(response);
    for (const line of ['Françoise Lejeune', 'Rue des Glycines 12', 'Boîte 4', '4000 Liège', 'BELGIQUE', code]) expect(text).toContain(line);
    expect(await printed(v.id)).toBe(1);
  });

  it('gathers-every-pending-letter-into-one-file-oldest-first', async () => {
    const names = ['Gaston Lagaffe', 'Jeanne Dupuis'];
    const codes: string[] = [];
    const ids: string[] = [];
    for (const [i, legalName] of names.entries()) {
      const subscriber = await makeSubscriber(app, tech, { language: i === 0 ? 'fr' : 'en' });
      const v = await startVerification(app, tech, subscriber.id, {
        method: 'postal',
        legalName,
        address: { line1: `Avenue Louise ${100 + i}`, postalCode: '1050', city: 'Ixelles', country: 'BE' },
      });
      codes.push((await lastMessageOf(app, dir, v.id)).code);
      ids.push(v.id);
      app.clock.advance(1000);
    }
    const sms = await startVerification(app, tech, (await makeSubscriber(app, tech)).id, { method: 'sms', phone: '+32475000001' });
    const response = await getPdf('/api/v1/verifications/letters.pdf?status=pending');
    expect(response.status).toBe(200);
    const text = pdfText(response);
    for (const expected of [...names, ...codes, 'Avenue Louise 100', 'Avenue Louise 101', 'BELGIUM']) expect(text).toContain(expected);
    expect(text.indexOf(names[0])).toBeLessThan(text.indexOf(names[1]));
    expect(text).not.toContain((await lastMessageOf(app, dir, sms.id)).code);
    for (const id of ids) expect(await printed(id)).toBe(1);
  });

  it('prints-the-days-letters-only-when-asked-since-midnight', async () => {
    const start = app.clock.now();
    try {
      const yesterday = await startVerification(app, tech, (await makeSubscriber(app, tech)).id, {
        method: 'postal',
        legalName: 'Yesterday Letter',
        address: { line1: 'Rue Neuve 1', postalCode: '1000', city: 'Bruxelles', country: 'BE' },
      });
      app.clock.advance(86_400_000);
      const midnight = `${app.clock.now().toISOString().slice(0, 10)}T00:00:00Z`;
      await startVerification(app, tech, (await makeSubscriber(app, tech)).id, {
        method: 'postal',
        legalName: 'Today Letter',
        address: { line1: 'Rue Neuve 2', postalCode: '1000', city: 'Bruxelles', country: 'BE' },
      });
      const text = pdfText(await getPdf(`/api/v1/verifications/letters.pdf?status=pending&since=${midnight}`));
      expect(text).toContain('Today Letter');
      expect(text).not.toContain('Yesterday Letter');
      expect(await printed(yesterday.id)).toBe(0);
      app.clock.advance(86_400_000);
      const none = await getPdf(`/api/v1/verifications/letters.pdf?status=pending&since=${app.clock.now().toISOString()}`);
      expect(none.status).toBe(409);
    } finally {
      app.clock.set(start);
    }
  });

  it('has-no-letter-for-an-sms-verification-nor-once-a-verification-has-ended', async () => {
    const subscriber = await makeSubscriber(app, tech);
    const sms = await startVerification(app, tech, subscriber.id, { method: 'sms', phone: '+32475000002' });
    expect((await getPdf(`/api/v1/verifications/${sms.id}/letter.pdf`)).status).toBe(409);
    const letter = await startVerification(app, tech, subscriber.id, {
      method: 'postal',
      legalName: 'Hubert Bonisseur',
      address: { line1: 'Place Royale 1', postalCode: '1000', city: 'Bruxelles', country: 'BE' },
    });
    expect((await confirm(app, tech, letter.id, (await lastMessageOf(app, dir, letter.id)).code)).status).toBe(200);
    const ended = await getPdf(`/api/v1/verifications/${letter.id}/letter.pdf`);
    expect(ended.status).toBe(409);
    expect(await printed(letter.id)).toBe(0);
  });

  it('lets-only-technicians-print-letters', async () => {
    const subscriber = await makeSubscriber(app, tech);
    const letter = await startVerification(app, tech, subscriber.id, {
      method: 'postal',
      legalName: 'Irène Adler',
      address: { line1: 'Grand-Rue 5', postalCode: 'L-1660', city: 'Luxembourg', country: 'LU' },
    });
    for (const role of ['admin', 'ccj']) {
      expect((await getPdf(`/api/v1/verifications/${letter.id}/letter.pdf`, await app.tokenFor(role))).status).toBe(403);
      expect((await getPdf('/api/v1/verifications/letters.pdf?status=pending', await app.tokenFor(role))).status).toBe(403);
    }
    expect(await printed(letter.id)).toBe(0);
  });
});
