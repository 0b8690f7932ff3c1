/**
 * MAC addresses arrive as printed on labels and by vendors' tools; the inventory keeps one form
 * so that a duplicate is caught whatever its spelling.
 */
const MAC_FORMS: readonly RegExp[] = [
  /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/i, // aa:bb:cc:dd:ee:ff
  /^[0-9a-f]{2}(-[0-9a-f]{2}){5}$/i, // AA-BB-CC-DD-EE-FF (Windows)
  /^[0-9a-f]{4}(\.[0-9a-f]{4}){2}$/i, // aabb.ccdd.eeff (Cisco)
  /^[0-9a-f]{12}$/i, // aabbccddeeff
];

/** Lower-case colon form ("aa:bb:cc:dd:ee:ff"), or null when the text is none of the accepted forms. */
export function normaliseMac(text: string): string | null {
  const candidate = text.trim();
  if (!MAC_FORMS.some((form) => form.test(candidate))) return null;
  const digits = candidate.replace(/[:.-]/g, '').toLowerCase();
  return Array.from({ length: 6 }, (_, i) => digits.slice(2 * i, 2 * i + 2)).join(':');
}
