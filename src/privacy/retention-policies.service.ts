import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { LedgerService } from '../ledger/ledger.service';
import { assertProfileCovers, JurisdictionProfile, loadProfile } from './jurisdiction-profiles';
import { PrivacyError, PrivacyErrorCode } from './privacy.errors';
import { PolicyOverrideRow, readPolicyOverrides, upsertPolicyOverride } from './privacy.store';
import { isRetentionCategory, RETENTION_CATEGORIES, RetentionCategory } from './retention-categories';
import { PolicyList, PolicyView, SetPolicyInput } from './retention.schemas';

/**
 * Retention policies: the figures of the jurisdiction profile (LANTERNE_JURISDICTION), each
 * overridable by an admin. An override longer than the profile needs a written justification;
 * every change is recorded in the ledger in its own transaction.
 */
@Injectable()
export class RetentionPoliciesService implements OnModuleInit {
  readonly profile: JurisdictionProfile;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
  ) {
    this.profile = loadProfile(config.jurisdiction);
  }

  /** A category without a figure and its source in the profile in force stops the start. */
  onModuleInit(): void {
    assertProfileCovers(this.profile, RETENTION_CATEGORIES);
  }

  async list(): Promise<PolicyList> {
    const overrides = await readPolicyOverrides(this.dataSource.manager);
    return { jurisdiction: this.profile.jurisdiction, profile: this.profile.name, items: RETENTION_CATEGORIES.map((category) => this.view(category, overrides)) };
  }

  /** The days in force for each category, read in the caller's transaction (a run reads them in its own). */
  async keepDays(em: EntityManager): Promise<Map<RetentionCategory, number>> {
    const overrides = await readPolicyOverrides(em);
    return new Map(RETENTION_CATEGORIES.map((category) => [category, this.view(category, overrides).days]));
  }

  async set(category: string, input: SetPolicyInput, actor: Actor): Promise<PolicyView> {
    if (!isRetentionCategory(category)) {
      // Not repeated back: the path is whatever was typed.
      throw new PrivacyError(PrivacyErrorCode.CategoryNotFound, `No retention category of that name; the categories are ${RETENTION_CATEGORIES.join(', ')}.`);
    }
    const figure = this.profile.categories[category];
    if (input.days > figure.days && !input.justification) {
      throw new PrivacyError(
        PrivacyErrorCode.JustificationRequired,
        `${input.days} days is longer than the ${this.profile.name} profile's ${figure.days} (${figure.figure}): keeping ${category} longer needs a written justification.`,
        { errors: [{ path: 'justification', message: 'required when days exceeds the profile' }], profileDays: figure.days },
      );
    }
    return this.dataSource.transaction(async (em) => {
      const row: PolicyOverrideRow = { category, days: input.days, justification: input.justification ?? null, setBy: actor.id, setAt: this.clock.now() };
      const previous = await upsertPolicyOverride(em, row);
      await this.ledger.record(em, {
        actor,
        action: 'retention.policy-changed',
        refs: { category, days: input.days, previousDays: previous?.days ?? figure.days, profileDays: figure.days, jurisdiction: this.profile.jurisdiction },
        // Typed by a person, so held beside the leaf like any typed text.
        ...(input.justification ? { personal: { justification: input.justification } } : {}),
      });
      return this.view(category, [row]);
    });
  }

  private view(category: RetentionCategory, overrides: readonly PolicyOverrideRow[]): PolicyView {
    const figure = this.profile.categories[category];
    const override = overrides.find((row) => row.category === category);
    return {
      category,
      days: override?.days ?? figure.days,
      profile: figure,
      override: override ? { days: override.days, justification: override.justification, setBy: override.setBy, setAt: override.setAt.toISOString() } : null,
    };
  }
}
