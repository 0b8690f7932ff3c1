import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { assertDataMapSound, DataMap, loadDataMap } from './data-map';
import { MEMBER_DATA_PART_NAMES } from './member-data-providers';
import { DataMapView } from './member-data.schemas';
import { RetentionPoliciesService } from './retention-policies.service';

/** The parts of the export privacy builds itself: the ledger's entries about the member, and their rectifications. */
export const PRIVACY_PARTS = ['accessLog', 'rectifications'] as const;
export const EXPORT_PARTS: readonly string[] = [...MEMBER_DATA_PART_NAMES, ...PRIVACY_PARTS];

export type CategoryView = DataMapView['categories'][number];

/**
 * The category map of the jurisdiction in force, with the retention policies in force (overrides
 * included): what the public data map states and what the export dates its categories by.
 */
@Injectable()
export class DataMapService implements OnModuleInit {
  readonly map: DataMap;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly policies: RetentionPoliciesService,
  ) {
    this.map = loadDataMap(config.jurisdiction);
  }

  /** A part of the export that no category explains, or a policy the profile lacks, stops the start. */
  onModuleInit(): void {
    assertDataMapSound(this.map, this.policies.profile, EXPORT_PARTS);
  }

  async publicMap(): Promise<DataMapView> {
    const { jurisdiction, supervisoryAuthority, rights, automatedDecisions, compellable } = this.map;
    return { jurisdiction, profile: this.policies.profile.name, supervisoryAuthority, rights, automatedDecisions, compellable, categories: await this.categories(this.dataSource.manager) };
  }

  /** Each category with the days in force for its policy, read in the caller's transaction. */
  async categories(em: EntityManager): Promise<CategoryView[]> {
    const inForce = await this.policies.keepDays(em);
    return Object.entries(this.map.categories).map(([category, { retention, ...rest }]): CategoryView => {
      if ('kept' in retention) return { category, ...rest, retention };
      const figure = this.policies.profile.categories[retention.policy];
      const enforced = (inForce as Map<string, number>).get(retention.policy);
      return {
        category,
        ...rest,
        retention: { policy: retention.policy, days: enforced ?? figure.days, figure: figure.figure, from: figure.from, source: figure.source, enforced: enforced !== undefined },
      };
    });
  }
}
