import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Actor } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { PAGES_PREFIX } from '../common/page-paths';
import { RectificationsService } from '../privacy/rectifications.service';
import { Frame, Page } from './page-access';
import { PageFrame, PageRenderer } from './page-renderer';
import { RectificationQueueQueryDto, RefuseRectificationFormDto } from './tech.schemas';
import { FormOnlyDto } from './web.schemas';

type PageRequest = FastifyRequest & { actor?: Actor };

/** The technicians' queue of members' rectifications, resolved through the privacy context as the API does. */
@Controller(PAGES_PREFIX)
export class RectificationPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly rectifications: RectificationsService,
  ) {}

  @Get('tech/rectifications')
  @Page('technician')
  async queue(@Frame() frame: PageFrame, @Query() query: RectificationQueueQueryDto): Promise<string> {
    const status = query.status ?? 'pending';
    const page = await this.rectifications.list({ ...query, status });
    return this.pages.render('tech/rectifications', frame, {
      title: this.pages.text(frame.lang, 'tech.rectifications.title'),
      status,
      items: page.items.map((item) => ({ ...item, pending: item.status === 'pending' })),
      total: page.total,
    });
  }

  @Post('tech/rectifications/:id/accept')
  @HttpCode(200)
  @Page('technician')
  async accept(@Param('id', IdParamPipe) id: string, @Body() _body: FormOnlyDto, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<undefined> {
    await this.rectifications.accept(id, request.actor as Actor);
    void reply.redirect('/tech/rectifications', 303);
    return undefined;
  }

  @Post('tech/rectifications/:id/refuse')
  @HttpCode(200)
  @Page('technician')
  async refuse(
    @Param('id', IdParamPipe) id: string,
    @Body() body: RefuseRectificationFormDto,
    @Req() request: PageRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<undefined> {
    await this.rectifications.refuse(id, { reason: body.reason }, request.actor as Actor);
    void reply.redirect('/tech/rectifications', 303);
    return undefined;
  }
}
