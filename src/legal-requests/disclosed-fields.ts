/**
 * What a disclosure can tell an authority about a selector's holder: the names of a match's fields
 * (src/legal-requests DisclosureEntry). A member concerned reads these names, not the values, which
 * they know. The database holds the same list (migrations/1764300900001-LegalRequestSubjects.ts).
 */
export const DISCLOSED_FIELDS = ['memberNumber', 'legalName', 'verifiedContact'] as const;
export type DisclosedField = (typeof DISCLOSED_FIELDS)[number];
