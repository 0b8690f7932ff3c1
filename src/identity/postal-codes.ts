/**
 * Postal codes by country (ISO 3166-1 alpha-2), as data: the countries whose members the
 * associations of the federation serve. A code is normalised (upper case, single spaces) before it
 * is checked, and stored in the form the post office prints.
 */
export const POSTAL_CODE_RULES = {
  BE: { pattern: /^\d{4}$/, example: '1000' },
  FR: { pattern: /^\d{5}$/, example: '75011' },
  // Luxembourg's codes are often written with the country prefix, which the post accepts.
  LU: { pattern: /^(L-)?\d{4}$/, example: 'L-1855' },
  NL: { pattern: /^\d{4} [A-Z]{2}$/, example: '1012 AB' },
  DE: { pattern: /^\d{5}$/, example: '10115' },
  CH: { pattern: /^\d{4}$/, example: '8001' },
} as const satisfies Record<string, { pattern: RegExp; example: string }>;

export type PostalCountry = keyof typeof POSTAL_CODE_RULES;
export const POSTAL_COUNTRIES = Object.keys(POSTAL_CODE_RULES) as PostalCountry[];

export type PostalCodeCheck = { ok: true; postalCode: string } | { ok: false; reason: string };

export function checkPostalCode(country: PostalCountry, postalCode: string): PostalCodeCheck {
  let normalised = postalCode.trim().toUpperCase().replace(/\s+/g, ' ');
  // Dutch codes are as often typed without their space: 1012AB is 1012 AB.
  if (country === 'NL') normalised = normalised.replace(/^(\d{4})\s?([A-Z]{2})$/, '$1 $2');
  const rule = POSTAL_CODE_RULES[country];
  if (!rule.pattern.test(normalised)) return { ok: false, reason: `is not a postal code of ${country} (e.g. ${rule.example})` };
  return { ok: true, postalCode: normalised };
}
