import { z } from 'zod';
import { Timestamp } from '../common/schemas';
import { HEARTBEAT_STATES } from './heartbeat-age';

const Reachability = z.enum(['ok', 'unreachable']);

export const HealthReportSchema = z
  .object({
    status: z
      .enum(['ok', 'degraded', 'unavailable'])
      .describe('ok when the database and the queue both answer; degraded when requests are served but scheduled jobs have stopped running (see worker); unavailable otherwise.'),
    database: Reachability,
    queue: Reachability,
    worker: z.enum(HEARTBEAT_STATES).describe('stale: no worker has run its heartbeat job for three periods; none: none has yet.'),
    workerLastSeenAt: Timestamp.nullable().describe('The last heartbeat of a worker; null when none was seen or the database is unreachable.'),
  })
  .meta({ id: 'HealthReport', description: 'Whether this instance can serve.' });
export type HealthReport = z.infer<typeof HealthReportSchema>;
