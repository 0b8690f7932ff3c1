/** What an authority asks for. An interception is recorded but never answered with a disclosure. */
export const LEGAL_REQUEST_KINDS = ['identification', 'traffic-data', 'interception', 'other'] as const;
export type LegalRequestKind = (typeof LEGAL_REQUEST_KINDS)[number];
