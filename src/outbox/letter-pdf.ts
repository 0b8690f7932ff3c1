import PDFDocument from 'pdfkit';
import en from './letter-texts/en.json';
import fr from './letter-texts/fr.json';
import { Language, LetterContent } from './outbox-message';
import { toWinAnsi } from './win-ansi';

type LetterTexts = typeof fr;
/** One file per language; the type makes every language carry every text. */
const TEXTS: Record<Language, LetterTexts> = { fr, en };

export interface LetterSender {
  name?: string;
  addressLines: string[];
  /** Whose retention the letter quotes. */
  jurisdiction: 'be' | 'fr';
  timeZone: string;
}

const MM = 72 / 25.4;

/**
 * Where things sit on the A4 page, in mm from its top-left corner, after the letter form B of DIN 5008
 * (with DIN 676), made for the window envelopes of EN ISO 269 / DIN 680: a C5 or DL envelope has its
 * 90 × 45 mm window 20 mm from its left edge and 15 mm from its bottom edge, which is where the page
 * folded at 105 mm and 210 mm shows its address field. That field is 85 × 45 mm with its top-left corner
 * 20 mm from the left and 45 mm from the top: a 17.7 mm zone whose last line carries the sender's return
 * line, then 27.3 mm (at most six lines) for the address; text starts 5 mm inside the field. Everything
 * personal but the address starts below the first fold, so the code never shows through the window.
 */
const LAYOUT = {
  header: { x: 25, y: 15, width: 165 },
  returnLine: { x: 25, y: 58.2, width: 75, size: 7 },
  address: { x: 25, y: 62.7, width: 75, height: 27.3, size: 10 },
  date: { x: 125, y: 85, width: 65 },
  body: { x: 25, y: 108, width: 160 },
  foldMarks: [105, 210],
  holeMark: 148.5,
} as const;

const fill = (template: string, values: Record<string, string>): string => template.replace(/\{(\w+)\}/g, (_all, key: string) => values[key] ?? '');

function formatInstant(at: Date, locale: string, timeZone: string, withTime: boolean): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', ...(withTime ? { timeStyle: 'short' } : {}), timeZone }).format(at);
}

/**
 * One A4 page per letter, in their order: the association's letterhead, the address in the window,
 * the date, then the code in large type with its expiry, why the association asks and what it keeps,
 * in the member's language. Standard PDF fonts only (see `toWinAnsi`).
 */
export function renderLetterPdf(letters: readonly (LetterContent & { language: Language })[], sender: LetterSender, now: Date): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false, info: { Title: 'Lanterne', CreationDate: now, ModDate: now } });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const letter of letters) page(doc, letter, sender, now);
  if (letters.length === 0) {
    doc.addPage();
    doc.font('Helvetica').fontSize(11).text(`${toWinAnsi(fr.none)} / ${toWinAnsi(en.none)}`, LAYOUT.body.x * MM, LAYOUT.body.y * MM, { width: LAYOUT.body.width * MM });
  }
  doc.end();
  return done;
}

function page(doc: PDFKit.PDFDocument, letter: LetterContent & { language: Language }, sender: LetterSender, now: Date): void {
  const texts = TEXTS[letter.language];
  const association = sender.name ?? texts.associationFallback;
  const text = (value: string) => toWinAnsi(value);
  doc.addPage();

  for (const at of [...LAYOUT.foldMarks, LAYOUT.holeMark]) {
    doc.moveTo(3 * MM, at * MM).lineTo((at === LAYOUT.holeMark ? 9 : 7) * MM, at * MM).lineWidth(0.3).stroke('#888888');
  }

  const { header } = LAYOUT;
  doc.fillColor('black').font('Helvetica-Bold').fontSize(13).text(text(association), header.x * MM, header.y * MM, { width: header.width * MM });
  if (sender.addressLines.length > 0) doc.font('Helvetica').fontSize(9).text(text(sender.addressLines.join(' · ')), { width: header.width * MM });

  const returnLine = [sender.name, ...sender.addressLines].filter(Boolean).join(' · ');
  if (returnLine) {
    const { x, y, width, size } = LAYOUT.returnLine;
    doc.font('Helvetica').fontSize(size).text(text(returnLine), x * MM, y * MM, { width: width * MM, height: size * 1.2, lineBreak: false, ellipsis: true });
  }

  addressBlock(doc, letter.addressLines.map(text));

  const { date } = LAYOUT;
  doc.font('Helvetica').fontSize(10).text(text(formatInstant(now, texts.locale, sender.timeZone, false)), date.x * MM, date.y * MM, { width: date.width * MM, align: 'right' });

  const { body } = LAYOUT;
  const width = body.width * MM;
  const paragraph = (value: string) => doc.font('Helvetica').fontSize(10.5).text(text(value), { width, lineGap: 2, paragraphGap: 8 });
  doc.font('Helvetica-Bold').fontSize(12).text(text(texts.subject), body.x * MM, body.y * MM, { width, paragraphGap: 10 });
  paragraph(texts.greeting);
  paragraph(fill(texts.why, { association }));

  doc.font('Helvetica').fontSize(10).text(text(texts.codeLabel), { width, paragraphGap: 4 });
  const top = doc.y;
  doc.rect(body.x * MM, top, 70 * MM, 16 * MM).lineWidth(0.8).stroke('black');
  doc.font('Courier-Bold').fontSize(28).text(text(letter.code), body.x * MM, top + 4 * MM, { width: 70 * MM, align: 'center', lineBreak: false });
  doc.x = body.x * MM;
  doc.y = top + 20 * MM;
  paragraph(fill(texts.expires, { date: formatInstant(letter.expiresAt, texts.locale, sender.timeZone, true) }));
  paragraph(texts.how);
  paragraph(fill(texts.keeps, { retention: texts.retention[sender.jurisdiction] }));
  paragraph(fill(texts.signoff, { association }));
}

/** The address lines, in the address zone: smaller type when they would not fit its six lines or its width. */
function addressBlock(doc: PDFKit.PDFDocument, lines: string[]): void {
  const { x, y, width, height, size: largest } = LAYOUT.address;
  doc.font('Helvetica').fontSize(largest);
  const widest = Math.max(1, ...lines.map((line) => doc.widthOfString(line)));
  const size = Math.min(largest, (height * MM) / (Math.max(lines.length, 1) * 1.2), (largest * width * MM) / widest);
  doc.fontSize(size);
  lines.forEach((line, index) => doc.text(line, x * MM, y * MM + index * size * 1.2, { lineBreak: false }));
}
