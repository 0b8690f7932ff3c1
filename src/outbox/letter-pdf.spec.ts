import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderLetterPdf } from './letter-pdf';

const run = promisify(execFile);
const MM = 72 / 25.4;

interface Word {
  page: number;
  text: string;
  /** mm from the page's top-left corner */
  x: number;
  y: number;
  right: number;
  bottom: number;
}

/** The PDF's words with their boxes, as poppler's pdftotext reads them. */
async function words(pdf: Buffer): Promise<{ pages: number; words: Word[]; text: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'lanterne-letter-'));
  const file = join(dir, 'letters.pdf');
  await writeFile(file, pdf);
  const { stdout: html } = await run('pdftotext', ['-bbox', file, '-']);
  const { stdout: text } = await run('pdftotext', ['-layout', file, '-']);
  const found: Word[] = [];
  let page = 0;
  for (const line of html.split('\n')) {
    if (line.includes('<page ')) page += 1;
    const word = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
    if (word) found.push({ page, x: +word[1] / MM, y: +word[2] / MM, right: +word[3] / MM, bottom: +word[4] / MM, text: word[5].replace(/&amp;/g, '&').replace(/&#39;/g, "'") });
  }
  return { pages: page, words: found, text };
}

const sender = { name: 'Réseau Libre', addressLines: ['Rue Haute 1', '1000 Bruxelles'], jurisdiction: 'be' as const, timeZone: 'Europe/Brussels' };
const now = new Date('2026-06-01T12:00:00Z');
const letters = [
  { language: 'fr' as const, addressLines: ['Élodie Dupré', 'Rue de l’Étuve 12 bte 3', '1000 Bruxelles', 'BELGIQUE'], code: '482913', expiresAt: new Date('2026-07-01T12:00:00Z') },
  { language: 'en' as const, addressLines: ['Jan Łukasiewicz', 'Kerkstraat 5', '9000 Gent'], code: '105736', expiresAt: new Date('2026-07-01T12:00:00Z') },
];

/** The window of a C5/DL envelope over a page folded in three: the address field of DIN 5008 form B. */
const inWindow = (word: Word) => word.x >= 20 && word.right <= 105 && word.y >= 45 && word.bottom <= 90;

describe('renderLetterPdf', () => {
  let read: Awaited<ReturnType<typeof words>>;
  beforeAll(async () => {
    read = await words(await renderLetterPdf(letters, sender, now));
  });

  it('prints one A4 page per letter, in their order', async () => {
    expect(read.pages).toBe(2);
    expect(read.words.filter((word) => word.text === '482913').map((word) => word.page)).toEqual([1]);
    expect(read.words.filter((word) => word.text === '105736').map((word) => word.page)).toEqual([2]);
  });

  it('puts the address lines, and only them and the return line, in the envelope window', () => {
    for (const [index, letter] of letters.entries()) {
      const page = read.words.filter((word) => word.page === index + 1);
      const windowed = page.filter(inWindow);
      const windowText = windowed.map((word) => word.text).join(' ');
      const expected = letter.addressLines.join(' ').replace('Ł', 'L');
      expect(windowText).toContain(expected);
      expect(windowText).toMatch(/^Réseau Libre · Rue Haute 1 · 1000 Bruxelles /);
      expect(windowText).not.toContain(letter.code);
      // The code sits below the first fold, out of sight through the envelope.
      const code = page.find((word) => word.text === letter.code) as Word;
      expect(code.y).toBeGreaterThan(105);
    }
  });

  it('says, in the member’s language, the code, its expiry, why the association asks and what it keeps', () => {
    const [first, second] = read.text.split('\f');
    expect(first).toContain('Votre code de vérification');
    expect(first).toMatch(/valable jusqu’au 1 juillet 2026 à 14:00/);
    expect(first).toMatch(/La loi nous demande de pouvoir identifier/);
    expect(first).toMatch(/Ce que nous gardons/);
    expect(first).toMatch(/un an après la fin/);
    expect(second).toContain('Your verification code');
    expect(second).toMatch(/valid until 1 July 2026 at 14:00/);
    expect(second).toMatch(/What we keep/);
    expect(second).toContain('1 June 2026');
  });

  it('makes a one-page PDF saying there is nothing to print for no letter', async () => {
    const empty = await words(await renderLetterPdf([], sender, now));
    expect(empty.pages).toBe(1);
    expect(empty.text).toContain('No letters to print');
  });
});
