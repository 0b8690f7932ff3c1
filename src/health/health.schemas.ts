import { z } from 'zod';
import { Timestamp } from '../common/schemas';

const Reachability = z.enum(['ok', 'unreachable']);

export const HealthReportSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']).describe('ok when the database and the queue both answer.'),
    database: Reachability,
    queue: Reachability,
    workerLastSeenAt: Timestamp.nullable().describe('The last heartbeat of a worker; null when none was seen or the database is unreachable.'),
  })
  .meta({ id: 'HealthReport', description: 'Whether this instance can serve.' });
export type HealthReport = z.infer<typeof HealthReportSchema>;
