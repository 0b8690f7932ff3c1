import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource, EntityManager } from 'typeorm';
import { z } from 'zod';
import { Actor, SYSTEM_ACTOR } from '../common/access';
import { Clock } from '../common/clock';
import { iso } from '../common/schemas';
import type { CircleNoticeKind } from '../consensus/circle-notice-texts';
import { CircleNotices } from '../consensus/circle-notices';
import { LedgerService } from '../ledger/ledger.service';
import { JobRegistry } from '../queue/job-registry';
import { isAnswered, reminderDue, ReminderKind } from './legal-request-deadlines';
import { claimReminder, lockDeadline, requestsToRemind, setDueAt } from './legal-request-deadlines.store';
import { LegalRequestsError, LegalRequestsErrorCode } from './legal-requests.errors';
import type { DueAtView } from './legal-request-deadlines.schemas';

/** A deadline passes at most this long before the circle hears of it; near ones are told at once. */
export const REMINDER_SWEEP_EVERY_MS = 5 * 60_000;
/** Reminders sent per sweep, nearest deadline first; the next sweep sends the rest. */
const SWEEP_BATCH = 200;

const NOTICE: Record<ReminderKind, CircleNoticeKind> = { 'due-soon': 'legal-request-due-soon', overdue: 'legal-request-overdue' };

/**
 * A request's deadline and the ccj circle's reminders of it. Each reminder is claimed by a row keyed
 * by (request, kind, deadline) in the transaction that writes its notices and its ledger entry, on the
 * request's row locked: it goes out once whatever runs it (the sweep on several workers, a re-run,
 * the intake or a change of deadline that falls within the three days), and never for a request
 * answered by the time it runs.
 */
@Injectable()
export class LegalRequestDeadlines implements OnModuleInit {
  private readonly logger = new Logger('LegalRequests');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue('legal-requests') private readonly queue: Queue,
    private readonly jobs: JobRegistry,
    private readonly notices: CircleNotices,
    private readonly ledger: LedgerService,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.jobs.register('legal-requests', 'reminder-sweep', z.object({}), () => this.sweep());
    this.jobs.schedule(this.queue, 'reminder-sweep', REMINDER_SWEEP_EVERY_MS, { removeOnComplete: true, removeOnFail: 100 });
  }

  /** Sends every reminder due now, one transaction each; answers how many went out. */
  async sweep(): Promise<number> {
    const ids = await requestsToRemind(this.dataSource.manager, this.clock.now(), SWEEP_BATCH);
    let sent = 0;
    for (const requestId of ids) {
      try {
        if (await this.dataSource.transaction((em) => this.remind(em, requestId))) sent += 1;
      } catch (error) {
        // One request that cannot be reminded must not hold back the others; the next sweep tries it again.
        this.logger.warn({ requestId, error: (error as Error).message }, 'cannot send a deadline reminder yet');
      }
    }
    return sent;
  }

  /** Sends the reminder the request calls for now, in `em`'s transaction, unless it went out already. */
  async remind(em: EntityManager, requestId: string): Promise<ReminderKind | null> {
    const request = await lockDeadline(em, requestId, 'share');
    const now = this.clock.now();
    const kind = request && reminderDue(request, now);
    if (!kind || !request?.dueAt) return null;
    if (!(await claimReminder(em, { requestId, kind, dueAt: request.dueAt, sentAt: now }))) return null;
    const notified = await this.notices.notify(em, 'ccj', NOTICE[kind], { requestId, dueAt: request.dueAt.toISOString() });
    await this.ledger.record(em, { actor: SYSTEM_ACTOR, action: 'legal-request.reminder-sent', refs: { requestId, kind, dueAt: request.dueAt.toISOString(), notified } });
    return kind;
  }

  /** The authority grants more time (or less): refused once the request is answered. */
  async changeDueAt(requestId: string, dueAt: Date, actor: Actor): Promise<DueAtView> {
    return this.dataSource.transaction(async (em) => {
      const request = await lockDeadline(em, requestId, 'update');
      if (!request) throw new LegalRequestsError(LegalRequestsErrorCode.RequestNotFound, 'No such legal request.');
      if (isAnswered(request.status)) {
        throw new LegalRequestsError(LegalRequestsErrorCode.AlreadyAnswered, `The request is ${request.status}: its deadline no longer matters.`, { status: request.status });
      }
      if (request.dueAt?.getTime() !== dueAt.getTime()) {
        await setDueAt(em, requestId, dueAt);
        await this.ledger.record(em, { actor, action: 'legal-request.due-at-changed', refs: { requestId, from: iso(request.dueAt), to: dueAt.toISOString() } });
      }
      const reminded = await this.remind(em, requestId);
      return { id: requestId, dueAt: dueAt.toISOString(), reminded };
    });
  }
}
