import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { PG_UNIQUE_VIOLATION, pgConstraint, pgErrorCode } from '../common/database-errors';
import { Page } from '../common/pagination';
import { iso } from '../common/schemas';
import { zodIssues } from '../common/problem.filter';
import { LedgerService } from '../ledger/ledger.service';
import { PersonalValuesService } from '../ledger/personal-values.service';
import { PrivacyError, PrivacyErrorCode } from './privacy.errors';
import { RectifiableFields } from './rectifiable-fields';
import {
  IDENTITY_FIELDS,
  IdentityField,
  ListRectificationsQuery,
  ProposeRectificationInput,
  RectifiableField,
  RectificationView,
  RefuseRectificationInput,
} from './rectifications.schemas';
import { insertRectification, listRectifications, lockRectification, RectificationRow, rectificationsOf, resolveRectification } from './rectifications.store';

/** The names under which a rectification's typed values are held beside its ledger entries. */
const VALUE = 'proposedValue';
const NOTE = 'note';
const REASON = 'reason';

const isIdentityField = (field: string): field is IdentityField => (IDENTITY_FIELDS as readonly string[]).includes(field);

/**
 * Rectification (GDPR art. 16): a member proposes a corrected value of their operational record, a
 * technician accepts it (the owning context applies it) or refuses it with a reason. Each step is
 * ledgered in its transaction; the values typed (proposal, note, reason) exist only as the sealed
 * personal values of those entries, so retention erases them with the member's other data.
 */
@Injectable()
export class RectificationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly personalValues: PersonalValuesService,
    private readonly fields: RectifiableFields,
  ) {}

  async propose(subscriberId: string, input: ProposeRectificationInput, actor: Actor): Promise<RectificationView> {
    if (isIdentityField(input.field)) {
      throw new PrivacyError(
        PrivacyErrorCode.IdentityNotRectifiable,
        `${input.field} is part of the verified identity: it is corrected by a new verification (a code sent by SMS or by letter), never by typing it. Ask a technician to start one.`,
        { errors: [{ path: 'field', message: 'identity fields are rectified by a new verification' }] },
      );
    }
    const field: RectifiableField = input.field;
    const parsed = this.fields.registry.get(field).schema.safeParse(input.proposedValue);
    if (!parsed.success) {
      const errors = zodIssues(parsed.error).map((issue) => ({ path: ['proposedValue', issue.path].filter(Boolean).join('.'), message: issue.message }));
      throw new PrivacyError(PrivacyErrorCode.InvalidProposedValue, `The proposed value is not a valid ${field}: ${errors.map((e) => e.message).join('; ')}`, { errors });
    }
    const id = randomUUID();
    const now = this.clock.now();
    try {
      return await this.dataSource.transaction(async (em) => {
        const entry = await this.ledger.record(em, {
          actor,
          action: 'rectification.proposed',
          subject: subscriberId,
          refs: { rectificationId: id, field },
          personal: { [VALUE]: parsed.data, ...(input.note ? { [NOTE]: input.note } : {}) },
        });
        await insertRectification(em, { id, subscriberId, field, proposedAt: now, proposedBy: actor.id, proposalEntry: entry });
        return (await this.viewsOf(em, [{ id, subscriberId, field, status: 'pending', proposedAt: now, proposalEntry: entry, resolvedAt: null, resolutionEntry: null }]))[0];
      });
    } catch (error) {
      if (pgErrorCode(error) === PG_UNIQUE_VIOLATION && pgConstraint(error) === 'rectifications_one_pending_per_field') {
        throw new PrivacyError(PrivacyErrorCode.RectificationPending, `A rectification of ${field} is already waiting for a technician; it must be resolved first.`);
      }
      throw error;
    }
  }

  /** What the member sees of their own requests, values included. */
  async listOf(subscriberId: string, em: EntityManager = this.dataSource.manager): Promise<RectificationView[]> {
    return this.viewsOf(em, await rectificationsOf(em, subscriberId));
  }

  /** The technicians' queue. */
  async list(query: ListRectificationsQuery): Promise<Page<RectificationView>> {
    const em = this.dataSource.manager;
    const { rows, total } = await listRectifications(em, query.status, query.limit, query.offset);
    return { items: await this.viewsOf(em, rows), total, limit: query.limit, offset: query.offset };
  }

  async accept(id: string, actor: Actor): Promise<RectificationView> {
    return this.dataSource.transaction(async (em) => {
      const row = await this.pending(em, id);
      const value = (await this.personalValues.openValues(em, [row.proposalEntry], VALUE)).get(row.proposalEntry);
      // Retention erases the value only once the membership is terminated, and a terminated record no longer changes.
      if (value === undefined) throw new PrivacyError(PrivacyErrorCode.RectificationResolved, `Rectification ${id} has no value left to apply: retention erased it.`);
      await this.fields.registry.get(row.field).apply(em, row.subscriberId, value);
      const entry = await this.ledger.record(em, { actor, action: 'rectification.accepted', subject: row.subscriberId, refs: { rectificationId: id, field: row.field } });
      const resolved = { ...row, status: 'accepted' as const, resolvedAt: this.clock.now(), resolutionEntry: entry };
      await resolveRectification(em, id, { status: 'accepted', at: resolved.resolvedAt, by: actor.id, entry });
      return (await this.viewsOf(em, [resolved]))[0];
    });
  }

  async refuse(id: string, input: RefuseRectificationInput, actor: Actor): Promise<RectificationView> {
    return this.dataSource.transaction(async (em) => {
      const row = await this.pending(em, id);
      const entry = await this.ledger.record(em, {
        actor,
        action: 'rectification.refused',
        subject: row.subscriberId,
        refs: { rectificationId: id, field: row.field },
        personal: { [REASON]: input.reason },
      });
      const resolved = { ...row, status: 'refused' as const, resolvedAt: this.clock.now(), resolutionEntry: entry };
      await resolveRectification(em, id, { status: 'refused', at: resolved.resolvedAt, by: actor.id, entry });
      return (await this.viewsOf(em, [resolved]))[0];
    });
  }

  private async pending(em: EntityManager, id: string): Promise<RectificationRow> {
    const row = await lockRectification(em, id);
    if (!row) throw new PrivacyError(PrivacyErrorCode.RectificationNotFound, `No rectification ${id}.`);
    if (row.status !== 'pending') throw new PrivacyError(PrivacyErrorCode.RectificationResolved, `Rectification ${id} is already ${row.status}.`, { status: row.status });
    return row;
  }

  /** The rows with their typed values opened from the ledger entries they point at (null once erased). */
  private async viewsOf(em: EntityManager, rows: readonly RectificationRow[]): Promise<RectificationView[]> {
    const proposals = rows.map((row) => row.proposalEntry);
    const resolutions = rows.flatMap((row) => (row.resolutionEntry === null ? [] : [row.resolutionEntry]));
    const [values, notes, reasons] = await Promise.all([
      this.personalValues.openValues(em, proposals, VALUE),
      this.personalValues.openValues(em, proposals, NOTE),
      this.personalValues.openValues(em, resolutions, REASON),
    ]);
    const pick = (opened: Map<number, string>, index: number | null) => (index === null ? null : (opened.get(index) ?? null));
    return rows.map((row) => ({
      id: row.id,
      subscriberId: row.subscriberId,
      field: row.field,
      status: row.status,
      proposedValue: pick(values, row.proposalEntry),
      note: pick(notes, row.proposalEntry),
      proposedAt: row.proposedAt.toISOString(),
      resolvedAt: iso(row.resolvedAt),
      refusalReason: pick(reasons, row.resolutionEntry),
    }));
  }
}
