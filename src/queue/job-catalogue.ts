/**
 * Every job Lanterne runs, by queue (one queue per context that needs one). Payloads carry ids,
 * never personal values.
 */
export const JOB_CATALOGUE = [{ queue: 'maintenance', name: 'heartbeat' }] as const;

export type QueueName = (typeof JOB_CATALOGUE)[number]['queue'];
export type JobName = (typeof JOB_CATALOGUE)[number]['name'];
