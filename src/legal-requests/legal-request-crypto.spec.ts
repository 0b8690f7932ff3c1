import { randomBytes, randomUUID } from 'node:crypto';
import { newRequestKey, openDocumentPart, sealDocumentPart, unwrapRequestKey, wrapRequestKey } from './legal-request-crypto';

describe('legal request keys and documents', () => {
  const master = randomBytes(32);
  const [request, other, document] = [randomUUID(), randomUUID(), randomUUID()];

  it('a request key unwraps only for its request', () => {
    const key = newRequestKey();
    const wrapped = wrapRequestKey(master, request, key);
    expect(unwrapRequestKey(master, request, wrapped)).toEqual(key);
    expect(() => unwrapRequestKey(master, other, wrapped)).toThrow();
    expect(() => unwrapRequestKey(randomBytes(32), request, wrapped)).toThrow();
  });

  it('a document opens only for its request, its document and its part', () => {
    const key = newRequestKey();
    const sealed = sealDocumentPart(key, request, document, 'content', Buffer.from('%PDF-1.7 order'));
    expect(openDocumentPart(key, request, document, 'content', sealed).toString()).toBe('%PDF-1.7 order');
    expect(() => openDocumentPart(key, other, document, 'content', sealed)).toThrow();
    expect(() => openDocumentPart(key, request, randomUUID(), 'content', sealed)).toThrow();
    expect(() => openDocumentPart(key, request, document, 'filename', sealed)).toThrow();
  });
});
