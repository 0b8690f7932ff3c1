import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../common/access';
import { HealthReport, HealthService } from './health.service';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Database and queue reachability (503 when either is down), and whether workers still run their scheduled jobs (`degraded`).' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.health.check();
    // Degraded still serves requests: a load balancer must keep sending them here.
    response.status(report.status === 'unavailable' ? 503 : 200);
    return report;
  }
}
