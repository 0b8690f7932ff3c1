/** The characters of Windows-1252 above 0x7F that are not Latin-1: what PDF's standard fonts can show beyond it. */
const CP1252_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

const printable = (char: string): boolean => {
  const code = char.codePointAt(0) as number;
  return (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || CP1252_EXTRA.has(char);
};

/**
 * Text as PDF's standard fonts (WinAnsi encoding) can print it: a character outside that encoding
 * loses its accents ("Łódź" becomes "Lódz"), so an address stays deliverable; what has no Latin form
 * becomes "?". Spaces of every kind become plain spaces, controls disappear.
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const char of text.replace(/[\s\u00a0\u202f]/gu, ' ')) {
    if (printable(char)) {
      out += char;
      continue;
    }
    if (/\p{Cc}|\p{Cf}/u.test(char)) continue;
    const stripped = (LATIN_STROKES[char] ?? char).normalize('NFD').replace(/\p{M}/gu, '');
    out += stripped !== '' && [...stripped].every(printable) ? stripped : '?';
  }
  return out;
}

/** Letters whose decomposition keeps no base letter (their stroke is part of the glyph). */
const LATIN_STROKES: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŀ: 'L', ŀ: 'l', Ŧ: 'T', ŧ: 't' };
