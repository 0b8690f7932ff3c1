import { toWinAnsi } from './win-ansi';

describe('toWinAnsi', () => {
  it('keeps French, Dutch and German letters, quotes and the euro sign', () => {
    expect(toWinAnsi('Élodie Dupré-Lœwenbrück, Straße 7 – l’été, 12 €')).toBe('Élodie Dupré-Lœwenbrück, Straße 7 – l’été, 12 €');
  });

  it('takes the accents off letters the standard fonts cannot print', () => {
    expect(toWinAnsi('Łódź, Čačak, Şişli')).toBe('Lódz, Cacak, Sisli');
  });

  it('prints a question mark for what has no Latin form, and plain spaces for any space', () => {
    expect(toWinAnsi('東京\u00a01\u202f000\tBruxelles\u200b')).toBe('?? 1 000 Bruxelles');
  });
});
