import { randomBytes, randomUUID } from 'node:crypto';
import { newRequestKey, openDisclosure, openDocumentPart, sealDisclosure, sealDocumentPart, unwrapRequestKey, wrapRequestKey } from './legal-request-crypto';

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

  it('a disclosure opens only for its request, and not as a document', () => {
    const key = newRequestKey();
    const sealed = sealDisclosure(key, request, Buffer.from('[{"result":"no-match"}]'));
    expect(openDisclosure(key, request, sealed).toString()).toBe('[{"result":"no-match"}]');
    expect(() => openDisclosure(key, other, sealed)).toThrow();
    expect(() => openDocumentPart(key, request, document, 'content', sealed)).toThrow();
  });
});
