import type { PostalAddress } from './identity.schemas';

/** The lines of a letter's address block, as the post reads them through a window envelope. */
export function addressLines(legalName: string, address: PostalAddress, language: 'fr' | 'en'): string[] {
  // The destination country on the last line, in capitals, in the sender's language (UPU S42).
  const country = new Intl.DisplayNames([language], { type: 'region' }).of(address.country) ?? address.country;
  return [legalName, address.line1, ...(address.line2 ? [address.line2] : []), `${address.postalCode} ${address.city}`, country.toLocaleUpperCase(language)];
}

/** The address on one line, as the outbox's `to`. */
export function addressOnOneLine(address: PostalAddress): string {
  return [address.line1, address.line2, `${address.postalCode} ${address.city}`, address.country].filter(Boolean).join(', ');
}

/** The language of messages: French for any French tag, English otherwise (the two the outbox speaks). */
export function messageLanguage(tag: string): 'fr' | 'en' {
  return tag.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}
