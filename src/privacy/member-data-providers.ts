import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Actor } from '../common/access';
import { NamedRegistry } from '../common/named-registry';
import type { SubjectEntry } from '../ledger/personal-values.service';

/**
 * The parts of a member's export (GET /me/data), each owned by the context that stores it. A closed
 * list: a context that stores subscriber data has its part here, and start-up refuses to boot until
 * every part has its provider, so the export can never silently leave a context out. Privacy imports
 * none of these contexts (several import privacy already): each registers its provider here, in its
 * `onModuleInit`, as it does its retention purgers.
 *
 * A part fills a section of the export (the contract's keys); `attachTo` parts annotate the items of
 * another part by id instead (the PTR names of each IP assignment live in dns, the assignments in ipam).
 */
export const MEMBER_DATA_PARTS = {
  subscriber: { owner: 'subscribers', section: 'subscriber' },
  subscriptions: { owner: 'subscribers', section: 'subscriptions' },
  identity: { owner: 'identity', section: 'identity' },
  verifications: { owner: 'identity', section: 'verifications' },
  cpe: { owner: 'cpe', section: 'cpe' },
  ipAssignments: { owner: 'ipam', section: 'ipAssignments' },
  reverseDns: { owner: 'dns', section: 'ipAssignments', attachTo: { part: 'ipAssignments', field: 'reverseDns' } },
  tunnels: { owner: 'tunnels', section: 'tunnels' },
  legalRequests: { owner: 'legal-requests', section: 'legalRequests' },
} as const satisfies Record<string, { owner: string; section: string; attachTo?: { part: string; field: string } }>;
export type MemberDataPart = keyof typeof MEMBER_DATA_PARTS;
export const MEMBER_DATA_PART_NAMES = Object.keys(MEMBER_DATA_PARTS) as MemberDataPart[];

export interface MemberDataRequest {
  /** The export's transaction: every part reads the same moment, and the identity read is recorded in it. */
  em: EntityManager;
  subscriberId: string;
  /** The member asking (the identity part reads the vault on their behalf). */
  actor: Actor;
  now: Date;
}

/**
 * What a part answers: a JSON value (ids, dates, values). An `attachTo` part answers, for each id of
 * the items it annotates, the value to set under its field.
 */
export type MemberDataProvider = (request: MemberDataRequest) => Promise<unknown>;

/**
 * Filters of the access log, each owned by a context that knows which entries must not reach the
 * member yet (legal-requests: entries about a request whose gag has not passed). Closed like the
 * parts: a gag that nobody enforces would leak.
 */
export const ACCESS_LOG_FILTERS = ['legal-requests'] as const;
export type AccessLogFilterName = (typeof ACCESS_LOG_FILTERS)[number];
export type AccessLogFilter = (request: MemberDataRequest, entries: readonly SubjectEntry[]) => Promise<SubjectEntry[]>;

@Injectable()
export class MemberDataProviders implements OnApplicationBootstrap {
  readonly parts = new NamedRegistry<MemberDataPart, MemberDataProvider>('Member data provider', MEMBER_DATA_PART_NAMES);
  readonly accessLogFilters = new NamedRegistry<AccessLogFilterName, AccessLogFilter>('Access log filter', ACCESS_LOG_FILTERS);

  register(part: MemberDataPart, provider: MemberDataProvider): void {
    this.parts.register(part, provider);
  }

  registerAccessLogFilter(name: AccessLogFilterName, filter: AccessLogFilter): void {
    this.accessLogFilters.register(name, filter);
  }

  /** By bootstrap every context has registered: a part without its provider is a defect that stops the start. */
  onApplicationBootstrap(): void {
    this.parts.assertComplete();
    this.accessLogFilters.assertComplete();
  }
}
