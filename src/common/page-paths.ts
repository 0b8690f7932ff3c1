/**
 * Web pages live at the root (/, /me, /transparency...) while the API lives under /api/v1, where the
 * same names mean JSON (/api/v1/me). Page controllers are declared under PAGES_PREFIX, kept out of
 * the API's prefix, and every URL outside the API, the health probe and the API's docs is routed
 * there. No Nest imports.
 */
export const PAGES_PREFIX = 'pages';

const NOT_A_PAGE = /^\/(?:api|health|docs|pages)(?:[/?#]|$)/i;

export function routedUrl(url: string): string {
  if (NOT_A_PAGE.test(url)) return url;
  return url === '/' || url.startsWith('/?') ? `/${PAGES_PREFIX}${url.slice(1)}` : `/${PAGES_PREFIX}${url}`;
}

/** The page a routed URL shows, as people see it (for links back to it). */
export function pagePathOf(routed: string): string {
  const path = routed.split('?')[0];
  const prefix = `/${PAGES_PREFIX}`;
  if (path.toLowerCase() === prefix) return '/';
  return path.toLowerCase().startsWith(`${prefix}/`) ? path.slice(prefix.length) : path;
}

export function isPageUrl(routed: string): boolean {
  return /^\/pages(?:[/?#]|$)/i.test(routed);
}
