import { checkPostalCode, POSTAL_COUNTRIES, POSTAL_CODE_RULES } from './postal-codes';

describe('checkPostalCode', () => {
  it.each([
    ['BE', '1000', '1000'],
    ['FR', '75011', '75011'],
    ['LU', '1855', '1855'],
    ['LU', 'l-1855', 'L-1855'],
    ['NL', '1012 AB', '1012 AB'],
    ['NL', '1012ab', '1012 AB'],
    ['DE', '10115', '10115'],
    ['CH', ' 8001 ', '8001'],
  ] as const)('accepts %s %s as %s', (country, given, stored) => {
    expect(checkPostalCode(country, given)).toEqual({ ok: true, postalCode: stored });
  });

  it.each([
    ['BE', '10000'],
    ['BE', '100'],
    ['FR', '7501'],
    ['FR', '2A004'],
    ['LU', 'L-185'],
    ['NL', '1012'],
    ['NL', 'AB 1012'],
    ['DE', '1011'],
    ['CH', 'CH-8001'],
    ['BE', '１０００'],
  ] as const)('refuses %s %s, naming the country and an example', (country, given) => {
    const check = checkPostalCode(country, given);
    expect(check).toEqual({ ok: false, reason: expect.stringContaining(country) });
  });

  it('accepts the example it gives for every country', () => {
    for (const country of POSTAL_COUNTRIES) expect(checkPostalCode(country, POSTAL_CODE_RULES[country].example)).toMatchObject({ ok: true });
  });
});
