/** The previous and next links of a paginated page, keeping its filters. No Nest imports. */
export function pageLinks(
  path: string,
  filters: Record<string, string | undefined>,
  page: { limit: number; offset: number; total: number },
): { previous: string | null; next: string | null } {
  const kept = Object.fromEntries(Object.entries(filters).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const at = (offset: number) => `${path}?${new URLSearchParams({ ...kept, offset: String(offset) })}`;
  return {
    previous: page.offset > 0 ? at(Math.max(0, page.offset - page.limit)) : null,
    next: page.offset + page.limit < page.total ? at(page.offset + page.limit) : null,
  };
}
