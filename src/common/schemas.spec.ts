import { DecimalInteger, Text } from './schemas';

describe('Text', () => {
  it('keeps-any-well-formed-unicode-as-sent', () => {
    for (const text of ['', 'Zoë', '😀', '\ufffd', 'tab\tnew\nline', '\u007f\u0001']) expect(Text.parse(text)).toBe(text);
  });

  it('refuses-nul-which-postgresql-text-cannot-hold', () => {
    expect(Text.safeParse('a\u0000b').error?.issues.map((i) => i.message)).toEqual(['must not contain U+0000 (NUL)']);
  });

  it('refuses-lone-surrogates-which-utf-8-cannot-carry', () => {
    for (const text of ['a\ud800b', '\udc00', '\ude00\ud83d']) expect(Text.safeParse(text).success).toBe(false);
  });

  it('the-checks-survive-trimming-and-bounds-added-after-them', () => {
    const Name = Text.trim().min(1).max(5);
    expect(Name.parse('  ab  ')).toBe('ab');
    expect(Name.safeParse(' \u0000 ').success).toBe(false);
  });
});

describe('DecimalInteger', () => {
  it('reads-decimal-digits', () => {
    expect(['0', '7', '500', '9007199254740991'].map((t) => DecimalInteger.parse(t))).toEqual([0, 7, 500, 9007199254740991]);
  });

  it('refuses-what-number-would-read-anyway', () => {
    for (const text of ['', ' 5', '5 ', '0x10', '0b1', '0o7', '1e1', '+5', '-1', '5.0', '05', '１', 'Infinity', '9007199254740993']) {
      expect({ text, ok: DecimalInteger.safeParse(text).success }).toEqual({ text, ok: false });
    }
  });
});
