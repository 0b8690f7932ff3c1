/** Which language a page is in. No Nest imports. */
export const PAGE_LANGUAGES = ['fr', 'en'] as const;
export type PageLanguage = (typeof PAGE_LANGUAGES)[number];

const isPageLanguage = (value: unknown): value is PageLanguage => (PAGE_LANGUAGES as readonly unknown[]).includes(value);

/**
 * The account's choice first, then the one the visitor switched to (a cookie), then the browser's
 * preference (Accept-Language, by quality, the primary subtag), then French.
 */
export function pageLanguage(choices: { account?: string | null; cookie?: string; acceptLanguage?: string }): PageLanguage {
  if (isPageLanguage(choices.account)) return choices.account;
  if (isPageLanguage(choices.cookie)) return choices.cookie;
  const ranked = (choices.acceptLanguage ?? '')
    .split(',')
    .map((part, order) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find(Boolean);
      return { language: tag.trim().toLowerCase().split('-')[0], quality: q === undefined ? 1 : Number(q), order };
    })
    .filter((entry) => entry.quality > 0)
    .sort((a, b) => b.quality - a.quality || a.order - b.order);
  return ranked.map((entry) => entry.language).find(isPageLanguage) ?? 'fr';
}
