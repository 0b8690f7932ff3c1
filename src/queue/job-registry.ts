import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, JobSchedulerTemplateOptions, Queue, Worker } from 'bullmq';
import { z } from 'zod';
import { APP_CONFIG, AppConfig } from '../config/config';
import { QUEUE_OPTIONS } from './queue.tokens';
import { JOB_CATALOGUE, JobName, QUEUE_NAMES, QueueName } from './job-catalogue';

type JobHandler = (payload: unknown, job: Job) => Promise<unknown>;

/**
 * How often a job repeats: every so many milliseconds (the first run comes at once when the scheduler
 * is created), or at the times of a cron pattern (none at creation: for a job that must not run at
 * every start, such as one that appends to the ledger).
 */
export type Repeat = number | { pattern: string; tz: string };

interface Schedule {
  queue: Queue;
  name: JobName;
  repeat: Repeat;
  opts: JobSchedulerTemplateOptions;
}

/**
 * Contexts register a handler per job of the catalogue; a worker process runs one BullMQ worker
 * per queue that dispatches on the job name. Start-up fails if a catalogue job has no handler or
 * two, so a job can never sit in a queue that nothing will ever process.
 *
 * Repeating jobs live in the queue's store as schedulers, which a Redis restarted without its data
 * forgets. Workers put back any missing scheduler each time the queue connection is ready again and
 * every `jobScheduleCheckMs`; upserting is idempotent, so several workers may do it at once.
 */
@Injectable()
export class JobRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<string, { payload: z.ZodType; handle: JobHandler }>();
  private readonly workers: Worker[] = [];
  private readonly schedules: Schedule[] = [];
  private scheduleCheck?: NodeJS.Timeout;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_OPTIONS) private readonly queueOptions: { connection: object; prefix: string },
  ) {}

  register<P extends z.ZodType>(queue: QueueName, name: JobName, payload: P, handle: (payload: z.infer<P>, job: Job) => Promise<unknown>): void {
    const key = `${queue}/${name}`;
    if (this.handlers.has(key)) throw new Error(`Job ${key} has two handlers`);
    this.handlers.set(key, { payload, handle: handle as JobHandler });
  }

  /** Runs the job `name` as `repeat` says, from worker processes; the scheduler is named after the job. */
  schedule(queue: Queue, name: JobName, repeat: Repeat, opts: JobSchedulerTemplateOptions = {}): void {
    this.schedules.push({ queue, name, repeat, opts });
  }

  missingHandlers(): string[] {
    return JOB_CATALOGUE.map((job) => `${job.queue}/${job.name}`).filter((key) => !this.handlers.has(key));
  }

  async onApplicationBootstrap(): Promise<void> {
    const missing = this.missingHandlers();
    if (missing.length > 0) throw new Error(`Jobs without a handler: ${missing.join(', ')}`);
    if (this.config.role === 'api') return;
    // Upserting at start also applies a changed period.
    await Promise.all(this.schedules.map((schedule) => this.upsert(schedule)));
    for (const queue of new Set(this.schedules.map((schedule) => schedule.queue))) {
      queue.getBackend().on('ready', () => void this.restoreMissingSchedulers());
    }
    this.scheduleCheck = setInterval(() => void this.restoreMissingSchedulers(), this.config.jobScheduleCheckMs).unref();
    for (const queue of QUEUE_NAMES) {
      const worker = new Worker(queue, (job) => this.run(queue, job), { connection: this.queueOptions.connection as never, prefix: this.queueOptions.prefix, concurrency: 4 });
      worker.on('failed', (job, error) => this.logger.warn({ queue, job: job?.name, jobId: job?.id, error: error.message }, 'job failed'));
      worker.on('error', (error) => this.logger.error({ queue, error: error.message }, 'worker error'));
      this.workers.push(worker);
    }
    this.logger.log(`workers started on ${QUEUE_NAMES.join(', ')}`);
  }

  /** Lets in-flight jobs finish before the process exits. */
  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.scheduleCheck);
    await Promise.all(this.workers.map((worker) => worker.close()));
  }

  /** Puts back the schedulers the queue's store no longer has. */
  async restoreMissingSchedulers(): Promise<void> {
    for (const schedule of this.schedules) {
      try {
        if (await schedule.queue.getJobScheduler(schedule.name)) continue;
        await this.upsert(schedule);
        this.logger.warn({ queue: schedule.queue.name, scheduler: schedule.name }, 'job scheduler was missing from the queue store; re-created');
      } catch (error) {
        this.logger.warn({ queue: schedule.queue.name, scheduler: schedule.name, error: (error as Error).message }, 'cannot check a job scheduler; will try again');
      }
    }
  }

  private async upsert({ queue, name, repeat, opts }: Schedule): Promise<void> {
    await queue.upsertJobScheduler(name, typeof repeat === 'number' ? { every: repeat } : repeat, { name, data: {}, opts });
  }

  private async run(queue: string, job: Job): Promise<unknown> {
    const handler = this.handlers.get(`${queue}/${job.name}`);
    if (!handler) throw new Error(`No handler for ${queue}/${job.name}`);
    return handler.handle(handler.payload.parse(job.data), job);
  }
}
