import PDFDocument from 'pdfkit';
import type { Checkpoint } from '../ledger/checkpoint';
import { toWinAnsi } from '../outbox/win-ansi';
import type { DisclosureEntry } from './legal-requests.schemas';

export interface AnswerContent {
  association: { name?: string; addressLines: string[] };
  request: { id: string; authority: string; reference: string; legalBasis: string; kind: string; receivedAt: Date };
  disclosedAt: Date;
  entries: readonly DisclosureEntry[];
  statement: string | null;
  ledgerIndex: number;
  /** A signed tree head whose tree holds the entry at `ledgerIndex`. */
  checkpoint: Checkpoint;
}

const MM = 72 / 25.4;
const LEFT = 25 * MM;
const WIDTH = 160 * MM;

/** An instant as the request's selectors are kept: UTC, to the second or finer. */
const utc = (at: Date | string) => (typeof at === 'string' ? at : at.toISOString());

function result(entry: DisclosureEntry): string[] {
  switch (entry.result) {
    case 'match':
      return [
        `Member number ${entry.memberNumber}, legal name ${entry.legalName}`,
        `Verified contact (${entry.verifiedContact.method}): ${entry.verifiedContact.value}, verified at ${entry.verifiedContact.verifiedAt}`,
      ];
    case 'no-match':
      return ['No match: no member held this address at that instant (or that history is no longer kept), or its holder has no verified identity.'];
    case 'no-data':
      return ['No data: no traffic data is held.'];
  }
}

/**
 * The answer to the authority on A4: who answers, to whom and under which basis, one result per
 * selector, and where it stands in the public ledger with a signed checkpoint covering it, so the
 * association can later prove what it sent (an inclusion proof of the entry against that checkpoint).
 * Standard PDF fonts only (see toWinAnsi).
 */
export function renderAnswerPdf(content: AnswerContent, now: Date): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 20 * MM, bottom: 20 * MM, left: LEFT, right: 25 * MM }, info: { Title: 'Answer to a legal request', CreationDate: now, ModDate: now } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const text = (value: string, font = 'Helvetica', size = 10, gap = 4) => doc.font(font).fontSize(size).text(toWinAnsi(value), { width: WIDTH, paragraphGap: gap });
  const field = (label: string, value: string) => {
    doc.font('Helvetica-Bold').fontSize(10).text(toWinAnsi(`${label}: `), { continued: true, width: WIDTH });
    doc.font('Helvetica').text(toWinAnsi(value), { paragraphGap: 3 });
  };
  const { request, checkpoint } = content;

  doc.x = LEFT;
  text(content.association.name ?? 'Lanterne', 'Helvetica-Bold', 13, 2);
  if (content.association.addressLines.length > 0) text(content.association.addressLines.join(' · '), 'Helvetica', 9, 2);
  doc.moveDown(1.5);
  text('Answer to a legal request', 'Helvetica-Bold', 14, 10);
  field('Authority', request.authority);
  field('Reference', request.reference);
  field('Legal basis', request.legalBasis);
  field('Kind of request', request.kind);
  field('Received', utc(request.receivedAt));
  field('Answered', utc(content.disclosedAt));
  doc.moveDown();

  text('Results, one per address named in the request', 'Helvetica-Bold', 11, 6);
  content.entries.forEach((entry, position) => {
    text(`${position + 1}. ${entry.selector.address} at ${entry.selector.at}`, 'Helvetica-Bold', 10, 1);
    for (const line of result(entry)) text(line, 'Helvetica', 10, 1);
    doc.moveDown(0.5);
  });
  if (content.statement) text(content.statement, 'Helvetica-Oblique', 10, 6);
  doc.moveDown();

  text('Proof of this answer', 'Helvetica-Bold', 11, 6);
  text(
    `This disclosure is recorded as entry ${content.ledgerIndex} of the association's public, append-only ledger (RFC 6962). ` +
      `The checkpoint below, signed with the ledger's Ed25519 key, covers it: an inclusion proof of entry ${content.ledgerIndex} ` +
      `in a tree of ${checkpoint.treeSize} entries (GET /api/v1/ledger/proofs/inclusion?index=${content.ledgerIndex}&treeSize=${checkpoint.treeSize}) ` +
      'checked against this root hash shows that the entry was written then and has not changed since.',
    'Helvetica',
    9.5,
    6,
  );
  field('Ledger entry', String(content.ledgerIndex));
  field('Tree size', String(checkpoint.treeSize));
  field('Timestamp', checkpoint.timestamp);
  for (const [label, value] of [
    ['Root hash (SHA-256, hex)', checkpoint.rootHash],
    ['Signature (Ed25519, base64)', checkpoint.signature],
    ['Public key (SPKI, base64)', checkpoint.publicKey],
  ]) {
    text(label, 'Helvetica-Bold', 9, 1);
    text(value, 'Courier', 8, 4);
  }
  doc.moveDown();
  text(`Request ${request.id}. Printed ${now.toISOString()}.`, 'Helvetica', 8, 0);
  doc.end();
  return done;
}
