/**
 * How a request's documents are kept, as pure functions over src/common/sealed-box.ts (AES-256-GCM):
 * each request has a key of 32 random bytes, stored only wrapped under the master key (bound to the
 * request id); its documents and their file names are sealed under it, bound to the request and the
 * document. A ciphertext copied to another request or document no longer opens.
 */
import { randomBytes } from 'node:crypto';
import { open, seal } from '../common/sealed-box';

export const newRequestKey = (): Buffer => randomBytes(32);

const requestKeyContext = (requestId: string) => `lanterne-legal-request-key\n${requestId}`;

export function wrapRequestKey(masterKey: Buffer, requestId: string, requestKey: Buffer): Buffer {
  return seal(masterKey, requestKey, requestKeyContext(requestId));
}

export function unwrapRequestKey(masterKey: Buffer, requestId: string, wrapped: Buffer): Buffer {
  return open(masterKey, wrapped, requestKeyContext(requestId));
}

export type DocumentPart = 'content' | 'filename';

const documentContext = (requestId: string, documentId: string, part: DocumentPart) => `lanterne-legal-document\n${requestId}\n${documentId}\n${part}`;

export function sealDocumentPart(requestKey: Buffer, requestId: string, documentId: string, part: DocumentPart, value: Buffer): Buffer {
  return seal(requestKey, value, documentContext(requestId, documentId, part));
}

export function openDocumentPart(requestKey: Buffer, requestId: string, documentId: string, part: DocumentPart, sealed: Buffer): Buffer {
  return open(requestKey, sealed, documentContext(requestId, documentId, part));
}

const disclosureContext = (requestId: string) => `lanterne-legal-disclosure\n${requestId}`;

/** The answer disclosed (names and contacts), sealed under the request key, bound to the request. */
export function sealDisclosure(requestKey: Buffer, requestId: string, answer: Buffer): Buffer {
  return seal(requestKey, answer, disclosureContext(requestId));
}

export function openDisclosure(requestKey: Buffer, requestId: string, sealed: Buffer): Buffer {
  return open(requestKey, sealed, disclosureContext(requestId));
}
