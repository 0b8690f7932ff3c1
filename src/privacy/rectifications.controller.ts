import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { Actor, CurrentActor, Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Page } from '../common/pagination';
import { Operation } from '../openapi';
import { MemberDataService } from './member-data.service';
import {
  ListRectificationsDto,
  ProposeRectificationDto,
  RectificationPageSchema,
  RectificationView,
  RectificationViewSchema,
  RefuseRectificationDto,
} from './rectifications.schemas';
import { RectificationsService } from './rectifications.service';

const RectificationListSchema = z.object({ items: z.array(RectificationViewSchema) }).meta({ id: 'MyRectifications' });

@ApiTags('privacy')
@Controller()
export class RectificationsController {
  constructor(
    private readonly rectifications: RectificationsService,
    private readonly memberData: MemberDataService,
  ) {}

  @Post('me/rectifications')
  @Roles('member')
  @Operation({
    id: 'proposeRectification',
    summary: 'Ask to correct my record',
    description:
      'A member proposes the correct value of displayName, email or language, checked by the same rules as when a technician types it; a technician ' +
      'accepts or refuses it. Identity fields (legalName, contact, phone, address) are a 422: they are corrected by a new verification, never by typing. ' +
      'A second request for a field still pending is a 409. Recorded in the ledger; the value and note are held sealed beside it.',
    answer: RectificationViewSchema,
    problems: [409, 422],
  })
  propose(@Body() body: ProposeRectificationDto, @CurrentActor() actor: Actor): Promise<RectificationView> {
    return this.rectifications.propose(this.memberData.ownSubscriber(actor), body, actor);
  }

  @Get('me/rectifications')
  @Roles('member')
  @Operation({ id: 'listMyRectifications', summary: 'My rectification requests', description: 'Each request with its status, and the reason when refused.', answer: RectificationListSchema })
  async mine(@CurrentActor() actor: Actor): Promise<{ items: RectificationView[] }> {
    return { items: await this.rectifications.listOf(this.memberData.ownSubscriber(actor)) };
  }

  @Get('rectifications')
  @Roles('technician')
  @Operation({
    id: 'listRectifications',
    summary: 'The rectification queue',
    description: 'Members\' requests, oldest first, with the proposed value, optionally of one status.',
    answer: RectificationPageSchema,
  })
  list(@Query() query: ListRectificationsDto): Promise<Page<RectificationView>> {
    return this.rectifications.list(query);
  }

  @Post('rectifications/:id/accept')
  @HttpCode(200)
  @Roles('technician')
  @Operation({
    id: 'acceptRectification',
    summary: 'Apply a rectification',
    description: "Applies the proposed value to the member's record and records it in the ledger. One already resolved, or whose member is terminated, is a 409.",
    answer: RectificationViewSchema,
    problems: [404, 409],
  })
  accept(@Param('id', IdParamPipe) id: string, @CurrentActor() actor: Actor): Promise<RectificationView> {
    return this.rectifications.accept(id, actor);
  }

  @Post('rectifications/:id/refuse')
  @HttpCode(200)
  @Roles('technician')
  @Operation({
    id: 'refuseRectification',
    summary: 'Refuse a rectification',
    description: 'Refuses it with a reason the member reads (held sealed beside the ledger entry). One already resolved is a 409.',
    answer: RectificationViewSchema,
    problems: [404, 409],
  })
  refuse(@Param('id', IdParamPipe) id: string, @Body() body: RefuseRectificationDto, @CurrentActor() actor: Actor): Promise<RectificationView> {
    return this.rectifications.refuse(id, body, actor);
  }
}
