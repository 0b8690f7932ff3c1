import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTexts, PageRenderer } from './page-renderer';

describe('page texts', () => {
  it('gather every area file of a language, and refuse a key two areas define', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lanterne-texts-'));
    mkdirSync(join(dir, 'en'));
    writeFileSync(join(dir, 'en', 'a.json'), JSON.stringify({ one: { x: 'X' } }));
    writeFileSync(join(dir, 'en', 'b.json'), JSON.stringify({ two: 'Y' }));
    expect(loadTexts('en', dir)).toEqual({ one: { x: 'X' }, two: 'Y' });
    writeFileSync(join(dir, 'en', 'c.json'), JSON.stringify({ one: 'again' }));
    expect(() => loadTexts('en', dir)).toThrow('page text "one" of en is defined twice (c.json)');
  });

  it('have the same keys in French and English', () => {
    const keys = (texts: Record<string, unknown>, prefix = ''): string[] =>
      Object.entries(texts).flatMap(([key, value]) => (typeof value === 'object' && value !== null ? keys(value as Record<string, unknown>, `${prefix}${key}.`) : [`${prefix}${key}`]));
    expect(keys(loadTexts('fr')).sort()).toEqual(keys(loadTexts('en')).sort());
  });

  it('render a page in its layout, escaping what it is given', () => {
    const html = new PageRenderer().render('problem', { lang: 'en', csrf: 't', holder: null, path: '/' }, { title: 'x', problem: { detail: '<script>alert(1)</script>' } });
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });
});
