import { PageLanguage } from './page-language';
import { PageRenderer } from './page-renderer';

/**
 * The text of a code of the domain (a ledger action, a role, a data category) from the group of
 * texts that names them, or the code itself when it has none yet: a new code shows as it is rather
 * than as a missing key.
 */
export function codeLabel(pages: PageRenderer, lang: PageLanguage, group: string, code: string): string {
  const key = `${group}.${code}`;
  const text = pages.text(lang, key);
  return text === key ? code : text;
}
