import { Controller, Get, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
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
    description: 'Whether the database and the queue answer, and when a worker last beat. 200 when both answer, 503 with the same report when either does not: for load balancers and container health checks.',
    answer: HealthReportSchema,
    also: [{ status: 503, description: 'The database or the queue does not answer.', schema: HealthReportSchema }],
  })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.health.current();
    response.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
