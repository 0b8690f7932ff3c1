import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Actor, SYSTEM_ACTOR } from '../common/access';
import { Clock } from '../common/clock';
import { PersonalValuesService } from '../ledger/personal-values.service';
import { LedgerService } from '../ledger/ledger.service';
import { JobRegistry } from '../queue/job-registry';
import { allowLongStatements, lockRetentionRun } from './privacy.store';
import { RetentionPoliciesService } from './retention-policies.service';
import { RetentionPurgers } from './retention-purgers';
import { RunReport } from './retention.schemas';

/**
 * The daily run, at 03:00 UTC: a repeatable job (put back by the registry if the queue store forgets
 * it) on a cron pattern rather than an interval, which would also run, and so append to the ledger,
 * at every start.
 */
export const RETENTION_SCHEDULE = { pattern: '0 3 * * *', tz: 'UTC' };

/** A run's statements may outlast a request's timeout on a long history; not an unbounded one. */
const RUN_STATEMENT_TIMEOUT_MS = 30 * 60 * 1000;

/**
 * A retention run: every category's purger with the policy in force, then the erasure of the
 * ledger's personal values about every subject whose data went, then the run's own ledger entry,
 * all in one transaction. One transaction, so that the entry's counts are exactly what was purged
 * and a failure (a purger's, the ledger's) leaves everything as it was for the next run to do; the
 * ledger's head is locked only from the entry, at the end.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger('Retention');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectQueue('privacy') queue: Queue,
    jobs: JobRegistry,
    private readonly clock: Clock,
    private readonly policies: RetentionPoliciesService,
    private readonly purgers: RetentionPurgers,
    private readonly personalValues: PersonalValuesService,
    private readonly ledger: LedgerService,
  ) {
    jobs.register('privacy', 'retention', z.object({}).passthrough(), () => this.run(SYSTEM_ACTOR));
    jobs.schedule(queue, 'retention', RETENTION_SCHEDULE, { removeOnComplete: true, removeOnFail: 100 });
  }

  async run(actor: Actor): Promise<RunReport> {
    const report = await this.dataSource.transaction(async (em) => {
      await lockRetentionRun(em);
      await allowLongStatements(em, RUN_STATEMENT_TIMEOUT_MS);
      const now = this.clock.now();
      const keepDays = await this.policies.keepDays(em);
      const purged = {} as RunReport['purged'];
      const erasedSubjects = new Set<string>();
      for (const { name, handler } of this.purgers.registry.inOrder()) {
        const result = await handler({ em, now, keepDays: keepDays.get(name) as number });
        purged[name] = result.count;
        for (const subject of result.erasedSubjects ?? []) erasedSubjects.add(subject);
      }
      const erasedValues = await this.personalValues.eraseAboutAll(em, [...erasedSubjects]);
      await this.ledger.record(em, {
        actor,
        action: 'retention.ran',
        refs: {
          at: now.toISOString(),
          ...Object.fromEntries(Object.entries(purged).map(([category, count]) => [`purged.${category}`, count])),
          ...Object.fromEntries([...keepDays].map(([category, days]) => [`keepDays.${category}`, days])),
          erasedSubjects: erasedSubjects.size,
          erasedLedgerValues: erasedValues,
        },
      });
      return { purged };
    });
    this.logger.log({ purged: report.purged, actor: actor.role }, 'retention run');
    return report;
  }
}
