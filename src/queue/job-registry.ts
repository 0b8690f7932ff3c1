import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import { z } from 'zod';
import { APP_CONFIG, AppConfig } from '../config/config';
import { QUEUE_OPTIONS } from './queue.tokens';
import { JOB_CATALOGUE, JobName, QUEUE_NAMES, QueueName } from './job-catalogue';

type JobHandler = (payload: unknown, job: Job) => Promise<unknown>;

/**
 * Contexts register a handler per job of the catalogue; a worker process runs one BullMQ worker
 * per queue that dispatches on the job name. Start-up fails if a catalogue job has no handler or
 * two, so a job can never sit in a queue that nothing will ever process.
 */
@Injectable()
export class JobRegistry implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private readonly handlers = new Map<string, { payload: z.ZodType; handle: JobHandler }>();
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(QUEUE_OPTIONS) private readonly queueOptions: { connection: object; prefix: string },
  ) {}

  register<P extends z.ZodType>(queue: QueueName, name: JobName, payload: P, handle: (payload: z.infer<P>, job: Job) => Promise<unknown>): void {
    const key = `${queue}/${name}`;
    if (this.handlers.has(key)) throw new Error(`Job ${key} has two handlers`);
    this.handlers.set(key, { payload, handle: handle as JobHandler });
  }

  missingHandlers(): string[] {
    return JOB_CATALOGUE.map((job) => `${job.queue}/${job.name}`).filter((key) => !this.handlers.has(key));
  }

  onApplicationBootstrap(): void {
    const missing = this.missingHandlers();
    if (missing.length > 0) throw new Error(`Jobs without a handler: ${missing.join(', ')}`);
    if (this.config.role === 'api') return;
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
    await Promise.all(this.workers.map((worker) => worker.close()));
  }

  private async run(queue: string, job: Job): Promise<unknown> {
    const handler = this.handlers.get(`${queue}/${job.name}`);
    if (!handler) throw new Error(`No handler for ${queue}/${job.name}`);
    return handler.handle(handler.payload.parse(job.data), job);
  }
}
