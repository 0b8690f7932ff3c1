import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { PersonalValuesService } from '../ledger/personal-values.service';
import { retentionDates } from './data-map';
import { DataMapService } from './data-map.service';
import { MEMBER_DATA_PARTS, MemberDataPart, MemberDataProviders, MemberDataRequest } from './member-data-providers';
import { MemberData, MemberRetention } from './member-data.schemas';
import { PrivacyError, PrivacyErrorCode } from './privacy.errors';
import { RectificationsService } from './rectifications.service';

/**
 * A member's export (GDPR art. 15 and 20): every part from the context that holds it, read in one
 * transaction, which also records the identity read (identity.read, member-request) so that the
 * access log shown already includes this export. Each category is dated from the policies in force.
 */
@Injectable()
export class MemberDataService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly providers: MemberDataProviders,
    private readonly dataMap: DataMapService,
    private readonly personalValues: PersonalValuesService,
    private readonly rectifications: RectificationsService,
  ) {}

  async exportFor(actor: Actor): Promise<MemberData> {
    const subscriberId = this.ownSubscriber(actor);
    return this.dataSource.transaction(async (em) => {
      const request: MemberDataRequest = { em, subscriberId, actor, now: this.clock.now() };
      const parts = new Map<string, unknown>();
      for (const { name, handler } of this.providers.parts.inOrder()) parts.set(name, await handler(request));
      for (const [name, part] of Object.entries(MEMBER_DATA_PARTS)) {
        if ('attachTo' in part) attach(parts.get(part.attachTo.part), part.attachTo.field, parts.get(name) as Record<string, unknown>);
      }
      const accessLog = await this.accessLog(request);
      parts.set('accessLog', accessLog);
      parts.set('rectifications', await this.rectifications.listOf(subscriberId, em));
      const retention = (await this.dataMap.categories(em)).map((category): MemberRetention => {
        const from = this.dataMap.map.categories[category.category].retention;
        const dates = 'policy' in category.retention && 'from' in from ? retentionDates(from.from, category.retention.days, parts.get(from.from.section)) : [];
        return { ...category, dates };
      });
      const part = <T>(name: MemberDataPart) => parts.get(name) as T;
      return {
        subscriber: { ...part<MemberData['subscriber']>('subscriber'), rectifications: parts.get('rectifications') as MemberData['subscriber']['rectifications'] },
        identity: part('identity'),
        subscriptions: part('subscriptions'),
        cpe: part('cpe'),
        ipAssignments: part('ipAssignments'),
        tunnels: part('tunnels'),
        verifications: part('verifications'),
        legalRequests: part('legalRequests'),
        accessLog,
        retention,
      };
    });
  }

  /** The access log alone, as the export holds it: nothing of the vault is read, so nothing is recorded. */
  async accessLogFor(actor: Actor): Promise<MemberData['accessLog']> {
    const subscriberId = this.ownSubscriber(actor);
    return this.dataSource.transaction((em) => this.accessLog({ em, subscriberId, actor, now: this.clock.now() }));
  }

  /** The legal requests concerning the member once their gag is over, as the export holds them. */
  async legalRequestsFor(actor: Actor): Promise<MemberData['legalRequests']> {
    const subscriberId = this.ownSubscriber(actor);
    const handler = this.providers.parts.get('legalRequests');
    return this.dataSource.transaction(async (em) => (await handler({ em, subscriberId, actor, now: this.clock.now() })) as MemberData['legalRequests']);
  }

  /** Every entry whose subject is the member, less what a context withholds from them for now (a gagged request's). */
  private async accessLog(request: MemberDataRequest): Promise<MemberData['accessLog']> {
    let entries = await this.personalValues.entriesAbout(request.em, request.subscriberId);
    for (const { handler } of this.providers.accessLogFilters.inOrder()) entries = await handler(request, entries);
    return entries;
  }

  /** The member's own subscriber, from their account: no route takes an id, so no id can be guessed. */
  ownSubscriber(actor: Actor): string {
    if (!actor.subscriberId) throw new PrivacyError(PrivacyErrorCode.NoSubscriber, 'This member account belongs to no subscriber, so it holds no data to show.');
    return actor.subscriberId;
  }
}

/** The export's file name when downloaded, dated so that successive downloads do not overwrite each other. */
export function exportFileName(now: Date): string {
  return `my-data-${now.toISOString().slice(0, 10)}.json`;
}

/** Sets `field` of each item of a part from the annotating part's value for its id (an empty list when it has none). */
function attach(items: unknown, field: string, byId: Record<string, unknown>): void {
  if (!Array.isArray(items)) return;
  for (const item of items as Record<string, unknown>[]) item[field] = byId[item.id as string] ?? [];
}
