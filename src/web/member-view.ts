/**
 * The member's export (GET /me/data) arranged for their pages: one panel per category of the data
 * map, each with the parts of the export it explains, so that every value is read next to why it is
 * held and until when. Plain functions over the export's JSON; no Nest imports.
 */
import type { MemberData, MemberRetention } from '../privacy/member-data.schemas';

/** A value of the export as nested labelled lists; a list's items are numbered from 1. */
export interface ValueNode {
  label: string;
  value?: string;
  children?: ValueNode[];
  /** An empty list or object: the page says "none". */
  empty?: boolean;
}

export function valueNode(label: string, value: unknown): ValueNode {
  if (Array.isArray(value)) return value.length === 0 ? { label, empty: true } : { label, children: value.map((item, i) => valueNode(String(i + 1), item)) };
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? { label, empty: true } : { label, children: entries.map(([key, item]) => valueNode(key, item)) };
  }
  return { label, value: value === null || value === undefined ? '—' : String(value) };
}

/** The parts that have a page of their own: the overview links there rather than repeating them. */
export const SECTION_PAGES: Readonly<Record<string, string>> = {
  accessLog: '/me/access-log',
  legalRequests: '/me/legal-requests',
  rectifications: '/me/rectifications',
};

export interface SectionPanel {
  name: string;
  /** The page that shows this part, when it has one. */
  page?: string;
  /** The value, when shown here; absent when it is shown within another part (reverse DNS names within the IP assignments). */
  node?: ValueNode;
}

export interface CategoryPanel extends Omit<MemberRetention, 'sections'> {
  sections: SectionPanel[];
}

/** The value of a part as the overview shows it: the subscriber without the rectifications, which have their page. */
function sectionValue(data: MemberData, section: string): { found: boolean; value?: unknown } {
  if (section === 'subscriber') {
    const { rectifications: _shownOnTheirPage, ...subscriber } = data.subscriber;
    return { found: true, value: subscriber };
  }
  return Object.hasOwn(data, section) ? { found: true, value: (data as Record<string, unknown>)[section] } : { found: false };
}

export function categoryPanels(data: MemberData): CategoryPanel[] {
  return data.retention.map(({ sections, ...category }) => ({
    ...category,
    sections: sections.map((name): SectionPanel => {
      if (SECTION_PAGES[name]) return { name, page: SECTION_PAGES[name] };
      const { found, value } = sectionValue(data, name);
      return found ? { name, node: valueNode(name, value) } : { name };
    }),
  }));
}
