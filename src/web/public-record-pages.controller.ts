import { Controller, Get, Inject } from '@nestjs/common';
import { CanaryError, CanaryErrorCode } from '../canary/canary.errors';
import { CanaryService } from '../canary/canary.service';
import { PAGES_PREFIX } from '../common/page-paths';
import { APP_CONFIG, AppConfig } from '../config/config';
import { TransparencyService } from '../legal-requests/transparency.service';
import { DataMapService } from '../privacy/data-map.service';
import { codeLabel } from './code-labels';
import { Frame, Page } from './page-access';
import { PageFrame, PageRenderer } from './page-renderer';
import { transparencyChart, yearTables } from './transparency-view';

/**
 * The public record, for anyone: the transparency report, the warrant canary and the data map, from
 * the services behind GET /api/v1/transparency, /canary and /public/data-map.
 */
@Controller(PAGES_PREFIX)
export class PublicRecordPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly transparency: TransparencyService,
    private readonly canary: CanaryService,
    private readonly dataMap: DataMapService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('transparency')
  @Page()
  async transparencyReport(@Frame() frame: PageFrame): Promise<string> {
    const report = await this.transparency.report();
    return this.pages.render('record/transparency', frame, {
      title: this.pages.text(frame.lang, 'record.transparency.title'),
      minimumCount: report.minimumCount,
      chart: transparencyChart(report),
      years: yearTables(report).map((year) => ({
        ...year,
        rows: year.rows?.map((row) => ({
          kindLabel: codeLabel(this.pages, frame.lang, 'record.transparency.kinds', row.kind),
          cells: row.cells.map((cell) => ({ ...cell, outcomeLabel: codeLabel(this.pages, frame.lang, 'record.transparency.outcomes', cell.outcome) })),
        })),
      })),
    });
  }

  /** No canary issued yet is a page saying so (the API's 404 is for programs). */
  @Get('canary')
  @Page()
  async currentCanary(@Frame() frame: PageFrame): Promise<string> {
    const canary = await this.canary.current().catch((error: unknown) => {
      if (error instanceof CanaryError && error.code === CanaryErrorCode.NoCanary) return null;
      throw error;
    });
    return this.pages.render('record/canary', frame, {
      title: this.pages.text(frame.lang, 'record.canary.title'),
      canary,
      lapsed: canary?.status === 'lapsed',
      // The command to check it, with this site's address when it is configured.
      siteUrl: this.config.web.publicUrl ?? null,
    });
  }

  @Get('data-map')
  @Page()
  async publicDataMap(@Frame() frame: PageFrame): Promise<string> {
    const map = await this.dataMap.publicMap();
    const categories = map.categories.map((category) => ({ ...category, label: codeLabel(this.pages, frame.lang, 'record.categories', category.category) }));
    return this.pages.render('record/data-map', frame, { title: this.pages.text(frame.lang, 'record.dataMap.title'), map, categories });
  }
}
