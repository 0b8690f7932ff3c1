import { sniffDocumentType } from './document-type';

describe('sniffDocumentType', () => {
  it('reads PDF, PNG and JPEG from their signatures', () => {
    expect(sniffDocumentType(Buffer.from('%PDF-1.7\n%…'))).toBe('application/pdf');
    expect(sniffDocumentType(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'))).toBe('image/png');
    expect(sniffDocumentType(Buffer.from('ffd8ffe000104a464946', 'hex'))).toBe('image/jpeg');
  });

  it('refuses text, a signature alone, and a signature further in', () => {
    expect(sniffDocumentType(Buffer.from('this is the order, honestly'))).toBeNull();
    expect(sniffDocumentType(Buffer.from('%PDF-'))).toBeNull();
    expect(sniffDocumentType(Buffer.from(' %PDF-1.7'))).toBeNull();
    expect(sniffDocumentType(Buffer.alloc(0))).toBeNull();
  });
});
