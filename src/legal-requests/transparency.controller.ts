import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../common/access';
import { Operation } from '../openapi';
import { TransparencyReportSchema, TransparencyReportView } from './transparency.schemas';
import { TransparencyService } from './transparency.service';

@ApiTags('transparency')
@Controller('transparency')
export class TransparencyController {
  constructor(private readonly transparency: TransparencyService) {}

  @Get()
  @Public()
  @Operation({
    id: 'getTransparencyReport',
    summary: 'How many legal requests, of which kind, with which outcome',
    description:
      'Legal requests counted per year of receipt (UTC), by kind and outcome: pending (received or under review), complied, contested or refused (the decision adopted). ' +
      'Never a reference, an authority, an identity or a date finer than the year. A year with fewer requests than the minimum shows only that; in the others a cell below ' +
      'the minimum reads { fewerThan }, and one more cell is { suppressed } so that the total cannot be used to recover it. Requests under a gag order count in their year’s ' +
      'total only (docs/privacy.md).',
    answer: TransparencyReportSchema,
  })
  report(): Promise<TransparencyReportView> {
    return this.transparency.report();
  }
}
