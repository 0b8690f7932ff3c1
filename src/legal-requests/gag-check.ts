import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { SYSTEM_ACTOR } from '../common/access';
import { Clock } from '../common/clock';
import { iso } from '../common/schemas';
import { LedgerService } from '../ledger/ledger.service';
import { MessageRenderers } from '../outbox/message-renderers';
import { RenderedMessage } from '../outbox/outbox-message';
import { OutboxService } from '../outbox/outbox.service';
import { JobRegistry } from '../queue/job-registry';
import { SubscribersService } from '../subscribers/subscribers.service';
import { noticeLanguage, renderGagLiftedNotice } from './gag-notice-text';
import { lockUntoldSubjects, markTold, readNotice } from './legal-request-subjects.store';

/** Daily at 02:00 UTC, before the retention run (03:00), which keeps a request until its members were told. */
export const GAG_CHECK_SCHEDULE = { pattern: '0 2 * * *', tz: 'UTC' };

/** Members told per transaction; the check goes on until none is left. */
const BATCH = 500;

/**
 * Tells each member a request concerns, once its gag is over (or at the first check after they were
 * found, for a request without one): the lifting is recorded in the ledger with them as its subject,
 * so it shows in their access log, and they receive an e-mail at their subscriber address, rendered
 * at send time. Once per request and member: the subject row is locked, marked told and given the
 * notice's id (unique) in the transaction that records and enqueues.
 */
@Injectable()
export class GagCheck {
  private readonly logger = new Logger('GagCheck');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue('legal-requests') queue: Queue,
    jobs: JobRegistry,
    renderers: MessageRenderers,
    private readonly clock: Clock,
    private readonly ledger: LedgerService,
    private readonly outbox: OutboxService,
    private readonly subscribers: SubscribersService,
  ) {
    jobs.register('legal-requests', 'gag-check', z.object({}).passthrough(), () => this.run());
    jobs.schedule(queue, 'gag-check', GAG_CHECK_SCHEDULE, { removeOnComplete: true, removeOnFail: 100 });
    renderers.register('gag-lifted', (ref) => this.render(ref));
  }

  /** Answers how many members were told. */
  async run(): Promise<number> {
    const now = this.clock.now();
    let told = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (em) => {
        const subjects = await lockUntoldSubjects(em, now, BATCH);
        if (subjects.length === 0) return 0;
        const notices = subjects.map((s) => ({ requestId: s.request_id, subscriberId: s.subscriber_id, noticeId: randomUUID() }));
        await markTold(em, notices, now);
        await this.ledger.recordMany(
          em,
          subjects.map((s) => ({ actor: SYSTEM_ACTOR, action: 'legal-request.gag-lifted', subject: s.subscriber_id, refs: { requestId: s.request_id, gagUntil: iso(s.gag_until) } })),
        );
        for (const notice of notices) await this.outbox.enqueue(em, { kind: 'gag-lifted', channel: 'email', ref: notice.noticeId });
        return subjects.length;
      });
      told += batch;
      if (batch < BATCH) break;
    }
    if (told > 0) this.logger.log({ told }, 'gags lifted');
    return told;
  }

  /** Not sent when the request is gone or the member has no address any more. */
  async render(noticeId: string): Promise<RenderedMessage | null> {
    const notice = await readNotice(this.dataSource.manager, noticeId);
    if (!notice) return null;
    const subscriber = await this.subscribers.getSubscriber(notice.subscriber_id);
    if (!subscriber.email) return null;
    const language = noticeLanguage(subscriber.language);
    return { channel: 'email', to: subscriber.email, language, ...renderGagLiftedNotice(notice.received_at, language) };
  }
}
