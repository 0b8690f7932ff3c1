import { normaliseMac } from './mac';

describe('normaliseMac', () => {
  it.each([
    ['aa:bb:cc:dd:ee:ff'],
    ['AA:BB:CC:DD:EE:FF'],
    ['AA-BB-CC-DD-EE-FF'],
    ['aabb.ccdd.eeff'],
    ['AABB.CCDD.EEFF'],
    ['aabbccddeeff'],
    ['  aa:bb:cc:dd:ee:ff\n'],
  ])('reads %j as aa:bb:cc:dd:ee:ff', (text) => {
    expect(normaliseMac(text)).toBe('aa:bb:cc:dd:ee:ff');
  });

  it('keeps leading zeros', () => {
    expect(normaliseMac('00-1A-2B-03-04-05')).toBe('00:1a:2b:03:04:05');
  });

  it.each([
    [''],
    ['aa:bb:cc:dd:ee'],
    ['aa:bb:cc:dd:ee:ff:00'],
    ['aa:bb-cc:dd:ee:ff'],
    ['aa:bb:cc:dd:ee:fg'],
    ['a:b:c:d:e:f'],
    ['aabb:ccdd:eeff'],
    ['aab.bccd.deeff'],
    ['aabbccddeef'],
    ['aabbccddeeff0'],
    ['aa bb cc dd ee ff'],
  ])('refuses %j', (text) => {
    expect(normaliseMac(text)).toBeNull();
  });
});
