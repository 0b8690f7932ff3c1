/** What an authority asks for. An interception is recorded but never answered with a disclosure. */
export const LEGAL_REQUEST_KINDS = ['identification', 'traffic-data', 'interception', 'other'] as const;
export type LegalRequestKind = (typeof LEGAL_REQUEST_KINDS)[number];

/** Said wherever an interception request meets the disclosure route: there is nothing to execute. */
export const NO_INTERCEPTION_STATEMENT =
  'Lanterne has no interception capability: it stores no traffic and has no capture feature. A request for interception can be recorded, contested or refused, never executed.';

/** Said with every answer to a traffic-data request, in its view and its printed answer. */
export const NO_TRAFFIC_DATA_STATEMENT =
  'No traffic data is held: Lanterne stores no traffic, no connection logs and no flow records; it keeps only which member held an address, and when.';
