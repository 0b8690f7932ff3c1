import fc from 'fast-check';
import { isWellFormedUnicode } from '../common/unicode';
import { canonicalJson } from './canonical-json';

const text = (value: unknown): string => canonicalJson(value).toString('utf8');

// RFC 8785 test data from its author's reference implementation, github.com/cyberphone/json-canonicalization,
// testdata/input/*.json → testdata/output/*.json, copied verbatim (the strings are the files' text).
const JCS_VECTORS: { name: string; input: string; output: string }[] = [
  {
    name: 'values.json',
    input: String.raw`{
  "numbers": [1E30, 4.50, 333333333.33333329, 2e-3, 0.000000000000000000000000001],
  "escaping": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
  "literals": [null, true, false]
}`,
    output: String.raw`{"escaping":"€$\u000f\nA'B\"\\\\\"/","literals":[null,true,false],"numbers":[1e+30,4.5,333333333.3333333,0.002,1e-27]}`,
  },
  {
    name: 'structures.json',
    input: String.raw`{
  "1": {"f": {"f": "hi","F": 5} ,"\n": 56.0},
  "10": { },
  "": "empty",
  "a": { },
  "111": [ { } ],
  "A": { }
}`,
    output: String.raw`{"":"empty","1":{"\n":56,"f":{"F":5,"f":"hi"}},"10":{},"111":[{}],"A":{},"a":{}}`,
  },
  {
    name: 'french.json',
    input: `{
  "peach": "This sorting order",
  "péché": "is wrong according to French",
  "pêche": "but canonicalization MUST",
  "sin":   "ingnore locale"
}`,
    output: `{"peach":"This sorting order","péché":"is wrong according to French","pêche":"but canonicalization MUST","sin":"ingnore locale"}`,
  },
  {
    // The output file holds raw U+0080, U+007F, U+FB33 and U+1F602; they are escaped here to stay visible.
    name: 'weird.json',
    input: String.raw`{
  "\u20ac": "Euro Sign",
  "1": "One",
  "\u0080": "Control\u007f",
  "\ud83d\ude02": "Smiley",
  "\u00f6": "Latin Small Letter O With Diaeresis",
  "\ufb33": "Hebrew Letter Dalet With Dagesh",
  "</script>": "Browser Challenge"
}`,
    output:
      '{"1":"One","</script>":"Browser Challenge","\u0080":"Control\u007f","\u00f6":"Latin Small Letter O With Diaeresis",' +
      '"\u20ac":"Euro Sign","\ud83d\ude02":"Smiley","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
  },
];

describe('canonicalJson', () => {
  it.each(JCS_VECTORS)('matches the RFC 8785 reference output for $name', ({ input, output }) => {
    expect(canonicalJson(JSON.parse(input))).toEqual(Buffer.from(output, 'utf8'));
  });

  it('sorts keys by UTF-16 code units, not by code point or locale', () => {
    // U+1F600 is the surrogate pair D83D DE00, below U+FFFD in UTF-16 order though above it as a code point.
    expect(text({ '\uFFFD': 1, '\u{1F600}': 2, b: 3, B: 4, aa: 5, a: 6 })).toBe(
      '{"B":4,"a":6,"aa":5,"b":3,"\u{1F600}":2,"\uFFFD":1}',
    );
  });

  it('sorts nested objects and keeps array order', () => {
    expect(text({ z: [{ y: 1, x: [3, 2, { b: null, a: true }] }], a: {} })).toBe(
      '{"a":{},"z":[{"x":[3,2,{"a":true,"b":null}],"y":1}]}',
    );
  });

  it('writes UTF-8 without escaping non-ASCII characters', () => {
    const bytes = canonicalJson({ name: 'Zoë 😀' });
    expect(bytes.toString('hex')).toBe(Buffer.from('{"name":"Zoë 😀"}', 'utf8').toString('hex'));
    expect(bytes).toHaveLength(20);
  });

  it('omits undefined properties, as JSON.stringify does', () => {
    expect(text({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(text(Object.create(null))).toBe('{}');
  });

  it('writes -0 as 0 and integers without a fraction', () => {
    expect(text([-0, 56.0, 1e21, 0.1])).toBe('[0,56,1e+21,0.1]');
  });

  it('accepts the same object twice side by side', () => {
    const shared = { k: 1 };
    expect(text({ a: shared, b: [shared] })).toBe('{"a":{"k":1},"b":[{"k":1}]}');
  });

  it.each([
    ['NaN', { a: NaN }, '$.a: NaN is not a finite number'],
    ['Infinity', [Infinity], '$[0]: Infinity is not a finite number'],
    ['undefined in an array', [1, undefined], '$[1]: undefined inside an array'],
    ['a hole in an array', [1, , 3], '$[1]: undefined inside an array'], // eslint-disable-line no-sparse-arrays
    ['a bigint', { n: 1n }, '$.n: bigint has no canonical JSON form'],
    ['a function', { f: () => 1 }, '$.f: function has no canonical JSON form'],
    ['a symbol', { s: Symbol('s') }, '$.s: symbol has no canonical JSON form'],
    ['undefined itself', undefined, '$: undefined has no canonical JSON form'],
    ['a Date', { at: new Date(0) }, '$.at: only plain objects have a canonical JSON form'],
    ['a Buffer', { raw: Buffer.from('x') }, '$.raw: only plain objects have a canonical JSON form'],
    ['a Map', new Map(), '$: only plain objects have a canonical JSON form'],
    ['a lone surrogate in a value', { s: 'a\uD800' }, '$.s: string holds a lone surrogate'],
    ['a lone surrogate in a key', { '\uDC00': 1 }, '$.\uDC00: string holds a lone surrogate'],
  ])('rejects %s', (_, value, message) => {
    expect(() => canonicalJson(value)).toThrow(new TypeError(message));
  });

  it('rejects cycles', () => {
    const cyclic: Record<string, unknown> = { a: [] };
    (cyclic.a as unknown[]).push(cyclic);
    expect(() => canonicalJson(cyclic)).toThrow(new TypeError('$.a[0]: cyclic structure'));
  });

  it('tells well-formed strings from lone surrogates', () => {
    expect(isWellFormedUnicode('😀 é')).toBe(true);
    expect(isWellFormedUnicode('\uD83D')).toBe(false);
    expect(isWellFormedUnicode('\uDE00\uD83D')).toBe(false);
  });

  it('gives the same bytes whatever the key insertion order, and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const bytes = canonicalJson(value);
        const reparsed: unknown = JSON.parse(bytes.toString('utf8'));
        expect(canonicalJson(reparsed)).toEqual(bytes);
        expect(canonicalJson(reverseKeys(reparsed))).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reverseKeys(item)]),
  );
}
