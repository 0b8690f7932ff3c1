import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Page } from '../common/pagination';
import { Operation } from '../openapi';
import { AtDto, CreateSubscriptionDto, ListSubscriptionsDto, SubscriptionPageSchema, SubscriptionView, SubscriptionViewSchema } from './subscribers.schemas';
import { iso } from '../common/schemas';
import { SubscriptionRecord, SubscriptionsService } from './subscriptions.service';

@ApiTags('subscriptions')
@Controller('subscriptions')
@Roles('technician', 'admin')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @HttpCode(201)
  @Operation({
    id: 'createSubscription',
    summary: 'Open a subscription',
    description: 'Opens a subscription (status active) for a member, starting at startsAt (default now). An unknown subscriber is a 404; a terminated one is a 409.',
    answer: SubscriptionViewSchema,
    problems: [404, 409],
  })
  async create(@Body() body: CreateSubscriptionDto): Promise<SubscriptionView> {
    return toSubscriptionView(await this.subscriptions.createSubscription(body));
  }

  @Get()
  @Operation({ id: 'listSubscriptions', summary: 'List subscriptions', description: 'Subscriptions, latest start first, optionally of one subscriber and by status.', answer: SubscriptionPageSchema })
  async list(@Query() query: ListSubscriptionsDto): Promise<Page<SubscriptionView>> {
    const page = await this.subscriptions.listSubscriptions(query);
    return { ...page, items: page.items.map(toSubscriptionView) };
  }

  @Get(':id')
  @Operation({ id: 'getSubscription', summary: 'Get a subscription', description: 'One subscription, active or ended.', answer: SubscriptionViewSchema })
  async get(@Param('id', IdParamPipe) id: string): Promise<SubscriptionView> {
    return toSubscriptionView(await this.subscriptions.getSubscription(id));
  }

  @Post(':id/end')
  @HttpCode(200)
  @Operation({
    id: 'endSubscription',
    summary: 'End a subscription',
    description:
      'Ends a subscription at `at` (default now, may lie in the past; never in the future, never before a start that has passed). ' +
      'One that has not started yet is cancelled: it starts and ends at that instant. In the same transaction its IP assignments are released into quarantine ' +
      'and its lent CPE join the to-collect list. A subscription already ended is a 409; an `at` in the future or before a start that has passed is a 422.',
    answer: SubscriptionViewSchema,
    problems: [409, 422],
  })
  async end(@Param('id', IdParamPipe) id: string, @Body() body: AtDto): Promise<SubscriptionView> {
    return toSubscriptionView(await this.subscriptions.endSubscription(id, body.at));
  }
}

function toSubscriptionView(s: SubscriptionRecord): SubscriptionView {
  return { id: s.id, subscriberId: s.subscriberId, service: s.service, status: s.status, startsAt: s.startsAt.toISOString(), endsAt: iso(s.endsAt) };
}
