import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { Clock } from '../common/clock';
import { PG_EXCLUSION_VIOLATION, pgErrorCode } from '../common/database-errors';
import { DomainError } from '../common/domain-error';
import { ProvisioningService } from '../provisioning/provisioning.service';
import { SubscriptionRecord, SubscriptionsService } from '../subscribers/subscriptions.service';
import { contains, parsePrefix, validateRequestedPrefix } from './cidr';
import { assignmentCreated } from './ip-allocation.service';
import { IpPoolsService, PoolRecord } from './ip-pools.service';
import { insertImportedAssignment } from './ipam.store';

export interface ImportReport {
  imported: number;
  /** Every refused line with its reason; when there is one, nothing was imported. */
  rejected: { line: number; reason: string }[];
}

interface ImportLine {
  line: number;
  subscriptionId: string;
  prefix: string;
  from: Date;
  until: Date | null;
}

const HEADER = /^subscription\s*,\s*prefix\s*,\s*from\s*,\s*until$/i;
const Uuid = z.uuid();
const Timestamp = z.iso.datetime({ offset: true });

type SeenSubscriptions = Map<string, { record: SubscriptionRecord; locked: boolean }>;

/** A line the import refuses; caught per line so that every bad line is reported, not only the first. */
class RejectedLine extends Error {}

/**
 * Imports assignment history from an older system: CSV lines `subscription,prefix,from,until`
 * (until empty for a current assignment). All or nothing: one transaction, each line under a
 * savepoint so that the database's refusals are reported line by line before rolling back.
 */
@Injectable()
export class IpImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly pools: IpPoolsService,
    private readonly subscriptions: SubscriptionsService,
    private readonly provisioning: ProvisioningService,
  ) {}

  async importAssignments(csv: string, onProgress: (done: number, total: number) => void = () => undefined): Promise<ImportReport> {
    const lines = csv
      .split(/\r?\n/)
      .map((text, i) => ({ line: i + 1, text: text.trim() }))
      .filter(({ text }) => text !== '');
    const data = lines.length > 0 && HEADER.test(lines[0].text) ? lines.slice(1) : lines;
    const rejected: ImportReport['rejected'] = [];
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const pools = await this.pools.allRecords(runner.manager);
      const subscriptions: SeenSubscriptions = new Map();
      for (const [done, { line, text }] of data.entries()) {
        await runner.query('SAVEPOINT import_line');
        try {
          await this.importLine(runner.manager, this.parse(line, text), pools, subscriptions);
          await runner.query('RELEASE SAVEPOINT import_line');
        } catch (error) {
          await runner.query('ROLLBACK TO SAVEPOINT import_line');
          rejected.push({ line, reason: reasonOf(error) });
        }
        onProgress(done + 1, data.length);
      }
      if (rejected.length > 0) await runner.rollbackTransaction();
      else await runner.commitTransaction();
      return { imported: rejected.length > 0 ? 0 : data.length, rejected };
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    } finally {
      await runner.release();
    }
  }

  private parse(line: number, text: string): ImportLine {
    const fields = text.split(',').map((field) => field.trim());
    if (fields.length !== 4) throw new RejectedLine(`expected 4 columns (subscription, prefix, from, until), found ${fields.length}`);
    const [subscriptionId, prefix, fromText, untilText] = fields;
    if (!Uuid.safeParse(subscriptionId).success) throw new RejectedLine(`subscription "${subscriptionId.slice(0, 64)}" is not a UUID`);
    if (!Timestamp.safeParse(fromText).success) throw new RejectedLine(`from "${fromText.slice(0, 64)}" is not an RFC 3339 timestamp`);
    if (untilText !== '' && !Timestamp.safeParse(untilText).success) throw new RejectedLine(`until "${untilText.slice(0, 64)}" is not an RFC 3339 timestamp (or empty)`);
    const from = new Date(fromText);
    const until = untilText === '' ? null : new Date(untilText);
    const now = this.clock.now();
    if (from > now || (until && until > now)) throw new RejectedLine('an imported assignment cannot start or end in the future');
    if (until && until < from) throw new RejectedLine(`until ${untilText} is before from ${fromText}`);
    return { line, subscriptionId: subscriptionId.toLowerCase(), prefix, from, until };
  }

  private async importLine(em: EntityManager, line: ImportLine, pools: PoolRecord[], subscriptions: SeenSubscriptions): Promise<void> {
    const { pool, prefix } = this.blockOf(pools, line.prefix);
    const subscription = await this.subscriptionOf(em, line, subscriptions);
    if (line.from < subscription.startsAt) throw new RejectedLine(`from is before the subscription starts (${subscription.startsAt.toISOString()})`);
    if (subscription.endsAt && (line.until === null || line.until > subscription.endsAt)) {
      throw new RejectedLine(`the subscription ended at ${subscription.endsAt.toISOString()}: the assignment must end by then`);
    }
    let id: string;
    try {
      id = await insertImportedAssignment(em, { poolId: pool.id, subscriptionId: subscription.id, prefix, validFrom: line.from, validUntil: line.until });
    } catch (error) {
      if (pgErrorCode(error) !== PG_EXCLUSION_VIOLATION) throw error;
      throw new RejectedLine(`${prefix} overlaps another assignment of the same block, or its quarantine`);
    }
    // Routers hold what is current; history they never held.
    if (line.until === null) await this.provisioning.recordChange(em, assignmentCreated({ id, subscriptionId: subscription.id, poolId: pool.id, prefix }));
  }

  /**
   * The line's subscription, read once per import. A current assignment locks it instead (once),
   * which keeps it from ending until the import commits.
   */
  private async subscriptionOf(em: EntityManager, line: ImportLine, seen: SeenSubscriptions): Promise<SubscriptionRecord> {
    const known = seen.get(line.subscriptionId);
    const lock = line.until === null && !known?.locked;
    if (known && !lock) return known.record;
    const record = lock ? await this.subscriptions.lockActiveSubscription(em, line.subscriptionId) : await this.subscriptions.getSubscription(line.subscriptionId, em);
    seen.set(line.subscriptionId, { record, locked: lock });
    return record;
  }

  /** The pool the line's prefix belongs to (the CSV does not name it), and the prefix's canonical text. */
  private blockOf(pools: PoolRecord[], text: string): { pool: PoolRecord; prefix: string } {
    const parsed = parsePrefix(text);
    if (!parsed.ok) throw new RejectedLine(parsed.reason);
    const pool = pools.find((candidate) => contains(candidate.pool.prefix, parsed.prefix));
    if (!pool) throw new RejectedLine(`no pool contains ${parsed.prefix.text}`);
    const check = validateRequestedPrefix(pool.pool, text);
    if (!check.ok) throw new RejectedLine(check.reason);
    return { pool, prefix: check.prefix.text };
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof RejectedLine) return error.message;
  if (error instanceof DomainError) return error.detail;
  throw error;
}
