/**
 * Every job Lanterne runs, by queue (one queue per context that needs one). Payloads carry ids,
 * never personal values.
 */
export const JOB_CATALOGUE = [
  { queue: 'maintenance', name: 'heartbeat' },
  { queue: 'ledger', name: 'checkpoint' },
  /** Asks the configured witnesses to cosign the latest checkpoint (payload: its tree size). */
  { queue: 'ledger', name: 'cosign' },
  { queue: 'provisioning', name: 'webhook' },
  { queue: 'provisioning', name: 'webhook-sweep' },
  { queue: 'provisioning', name: 'prune-feed' },
  /** Sends one outbox message (payload: its id), retried with exponential backoff. */
  { queue: 'outbox', name: 'send' },
  /** Puts back the send jobs of messages still queued, should a process have stopped before adding one. */
  { queue: 'outbox', name: 'sweep' },
  { queue: 'privacy', name: 'retention' },
  /** Closes a proposal at its `closesAt` (payload: its id; the job id is that id too). */
  { queue: 'consensus', name: 'close' },
  /** Adds the close job of every open proposal with a deadline, should one have been lost. */
  { queue: 'consensus', name: 'close-sweep' },
  /** Daily: records the lifting of each gag that is over and tells the members concerned, once each. */
  { queue: 'legal-requests', name: 'gag-check' },
  /** Sends the ccj circle the deadline reminders due (three days before, and when passed), each once. */
  { queue: 'legal-requests', name: 'reminder-sweep' },
  /** Warns the ccj circle 14 and 3 days before the warrant canary lapses, once each per canary. */
  { queue: 'canary', name: 'lapse-warnings' },
  /** Writes a backup archive into LANTERNE_BACKUP_DIR and prunes the oldest (scheduled only when that is set). */
  { queue: 'backup', name: 'write' },
] as const;

export type QueueName = (typeof JOB_CATALOGUE)[number]['queue'];
export const QUEUE_NAMES: QueueName[] = [...new Set(JOB_CATALOGUE.map((job) => job.queue))];
export type JobName = (typeof JOB_CATALOGUE)[number]['name'];
