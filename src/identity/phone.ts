import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * A phone number typed by a technician, as the E.164 form an SMS gateway dials. International form
 * (+32 ...) or a national one, read in the country given (the address's, or Belgium by default).
 * Only numbers that can receive an SMS pass: a landline cannot receive the code.
 */
export type PhoneCheck = { ok: true; e164: string } | { ok: false; reason: string };

const SMS_CAPABLE = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE', 'PERSONAL_NUMBER', 'VOIP']);

export function checkPhone(text: string, defaultCountry: 'BE' | 'FR' | 'LU' | 'NL' | 'DE' | 'CH' = 'BE'): PhoneCheck {
  const phone = parsePhoneNumberFromString(text, defaultCountry);
  if (!phone || !phone.isValid()) return { ok: false, reason: 'is not a valid phone number' };
  const type = phone.getType();
  if (type !== undefined && !SMS_CAPABLE.has(type)) return { ok: false, reason: 'cannot receive an SMS (a landline?)' };
  return { ok: true, e164: phone.number };
}
