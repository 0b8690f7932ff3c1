import { randomBytes } from 'node:crypto';
import { MasterKeyRotation } from '../../src/identity/master-key-rotation.service';
import { masterKeyFingerprint } from '../../src/identity/vault-crypto';
import { openDocumentPart, unwrapRequestKey } from '../../src/legal-requests/legal-request-crypto';
import { bearer, createTestApp, TestApp } from '../support/test-app';

const V = '/api/v1';
let app: TestApp;

beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

describe('lanterne rotate-master-key and legal requests', () => {
  it("re-wraps every request's key under the new master key; the documents open with it, unchanged", async () => {
    const ccj = await app.tokenFor('ccj');
    const pdf = Buffer.from('%PDF-1.7\nan order kept across a rotation\n%%EOF\n');
    const ids: string[] = [];
    for (const reference of ['R/1', 'R/2', 'R/3']) {
      const r = await app.http
        .post(`${V}/legal-requests`)
        .set(bearer(ccj))
        .send({ authority: 'Parquet', reference, legalBasis: 'art. 46bis', kind: 'identification', receivedAt: '2026-11-30T09:00:00Z', selectors: [{ address: '192.0.2.1', at: '2026-11-20T20:00:00Z' }] });
      ids.push(r.body.id);
    }
    const document = await app.http.post(`${V}/legal-requests/${ids[0]}/documents`).set(bearer(ccj)).send({ filename: 'order.pdf', contentBase64: pdf.toString('base64') });
    expect(document.status).toBe(201);
    const [{ sealed_content: before }] = await app.sql<{ sealed_content: Buffer }>('SELECT sealed_content FROM legal_request_documents');

    const newKey = randomBytes(32);
    const report = await app.lanterne.app.get(MasterKeyRotation).rotate(newKey, undefined, 2);
    expect(report.dataKeys).toBe(3);

    const rows = await app.sql<{ id: string; wrapped_key: Buffer; master_key: string }>('SELECT id, wrapped_key, master_key FROM legal_requests');
    expect(new Set(rows.map((r) => r.master_key))).toEqual(new Set([masterKeyFingerprint(newKey)]));
    const [{ sealed_content: after }] = await app.sql<{ sealed_content: Buffer }>('SELECT sealed_content FROM legal_request_documents');
    expect(after.equals(before)).toBe(true);
    const first = rows.find((r) => r.id === ids[0])!;
    const key = unwrapRequestKey(newKey, first.id, first.wrapped_key);
    expect(openDocumentPart(key, first.id, document.body.id, 'content', after).equals(pdf)).toBe(true);
  });
});
