import { Controller, Get, Header } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NotAnOperation, Public } from '../common/access';
import { CheckpointService } from '../ledger/checkpoint.service';
import { LedgerError, LedgerErrorCode } from '../ledger/ledger.errors';
import { Frame, Page } from './page-access';
import { PageFrame, PageRenderer } from './page-renderer';
import { PAGES_PREFIX } from '../common/page-paths';

const STYLESHEET = readFileSync(join(__dirname, 'assets', 'style.css'), 'utf8');

/** What anyone may read without signing in. */
@Controller(PAGES_PREFIX)
export class PublicPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly checkpoints: CheckpointService,
  ) {}

  @Get()
  @Page()
  home(@Frame() frame: PageFrame): string {
    return this.pages.render('home', frame, { title: this.pages.text(frame.lang, 'home.title') });
  }

  @Get('checkpoint')
  @Page()
  async checkpoint(@Frame() frame: PageFrame): Promise<string> {
    const checkpoint = await this.checkpoints.latest().catch((error: unknown) => {
      if (error instanceof LedgerError && error.code === LedgerErrorCode.NoCheckpoint) return null;
      throw error;
    });
    return this.pages.render('checkpoint', frame, { title: this.pages.text(frame.lang, 'checkpoint.title'), checkpoint });
  }

  @Get('assets/style.css')
  @Public()
  @NotAnOperation()
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'public, max-age=3600')
  stylesheet(): string {
    return STYLESHEET;
  }
}
