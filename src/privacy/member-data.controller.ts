import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, CurrentActor, Public, Roles } from '../common/access';
import { Clock } from '../common/clock';
import { Operation } from '../openapi';
import { DataMapService } from './data-map.service';
import { renderPage } from './html-page';
import { DataMapView, DataMapViewSchema, FormatDto, MemberData, MemberDataSchema } from './member-data.schemas';
import { exportFileName, MemberDataService } from './member-data.service';

const HTML = 'text/html; charset=utf-8';

@ApiTags('privacy')
@Controller()
export class MemberDataController {
  constructor(
    private readonly memberData: MemberDataService,
    private readonly dataMap: DataMapService,
    private readonly clock: Clock,
  ) {}

  @Get('me/data')
  @Roles('member')
  @Operation({
    id: 'exportMyData',
    summary: 'Everything the association holds about me',
    description:
      'The member\'s own data from every context (no id in the route: an account reads only its own subscriber), the identity decrypted for them ' +
      '(recorded as identity.read with purpose category member-request), every ledger entry about them (role, action, purpose; never who), and for ' +
      'each data category its purpose, legal basis, source, recipients and retention date. A file to download (GDPR art. 20); `?format=html` renders it as a page (text/html).',
    answer: MemberDataSchema,
  })
  async export(@Query() query: FormatDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) reply: FastifyReply): Promise<MemberData | string> {
    const data = await this.memberData.exportFor(actor);
    // Personal data: no cache on the way keeps a copy.
    reply.header('cache-control', 'no-store');
    if (query.format === 'html') {
      reply.type(HTML);
      return renderPage('Your data', 'Everything the association holds about you, who looked at it and why, and how long each part is kept.', data);
    }
    reply.header('content-disposition', `attachment; filename="${exportFileName(this.clock.now())}"`);
    return data;
  }

  @Get('public/data-map')
  @Public()
  @Operation({
    id: 'getDataMap',
    summary: 'What the association holds, for how long, and what it can be compelled to give',
    description:
      'Every category of data held about a member, with its purpose, legal basis, source, recipients and the retention in force, and what an ' +
      'authority can obtain (identification only: no traffic data is held, no interception is possible). `?format=html` renders it as a page (text/html).',
    answer: DataMapViewSchema,
  })
  async map(@Query() query: FormatDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<DataMapView | string> {
    const map = await this.dataMap.publicMap();
    if (query.format !== 'html') return map;
    reply.type(HTML);
    const { categories, compellable, ...about } = map;
    return renderPage('What we hold about our members', 'Before joining: what the association keeps, why, for how long, and what it can be compelled to give.', {
      'what can be compelled': compellable,
      ...Object.fromEntries(categories.map(({ category, ...rest }) => [category, rest])),
      about,
    });
  }
}
