import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import { APP_CONFIG, AppConfig } from '../config/config';
import { transparencyReport } from './transparency-report';
import { TransparencyReportView } from './transparency.schemas';
import { countRequestsByYear } from './transparency.store';

/** The public counts of legal requests; nothing is recorded, since nothing personal is read. */
@Injectable()
export class TransparencyService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async report(): Promise<TransparencyReportView> {
    const rows = await countRequestsByYear(this.dataSource.manager, this.clock.now());
    const minimum = this.config.transparencyMinCount;
    return { minimumCount: minimum, years: transparencyReport(rows, minimum) };
  }
}
