import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/access';
import { Operation } from '../openapi';
import { HealthReport, HealthReportSchema } from './health.schemas';
import { HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @Operation({
    id: 'getHealth',
    summary: 'Health of this instance',
    description:
      'Whether the database and the queue answer, and whether workers still run their scheduled jobs. 200 when both answer (`degraded` when no worker ' +
      'has run its heartbeat for three periods: requests are still served), 503 with the same report when either does not: for load balancers and container health checks.',
    answer: HealthReportSchema,
    also: [{ status: 503, description: 'The database or the queue does not answer.', schema: HealthReportSchema }],
  })
  async check(@Res({ passthrough: true }) response: FastifyReply): Promise<HealthReport> {
    const report = await this.health.current();
    // Degraded still serves requests: a load balancer must keep sending them here.
    response.status(report.status === 'unavailable' ? 503 : 200);
    return report;
  }
}
