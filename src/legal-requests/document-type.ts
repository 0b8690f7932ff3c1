/**
 * What a document is, read from its first bytes: the type a client declares (a header, a file name)
 * is not trusted. Only what an authority's written order comes as is accepted: PDF, PNG, JPEG.
 * No Nest or database imports.
 */
export const DOCUMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

const SIGNATURES: { type: DocumentType; magic: Buffer }[] = [
  { type: 'application/pdf', magic: Buffer.from('%PDF-', 'latin1') },
  { type: 'image/png', magic: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { type: 'image/jpeg', magic: Buffer.from([0xff, 0xd8, 0xff]) },
];

/** The type the bytes begin with, or null when they are none of the accepted ones. */
export function sniffDocumentType(bytes: Buffer): DocumentType | null {
  return SIGNATURES.find(({ magic }) => bytes.length > magic.length && bytes.subarray(0, magic.length).equals(magic))?.type ?? null;
}
