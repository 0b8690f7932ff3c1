import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Page } from '../common/pagination';
import { Operation } from '../openapi';
import { AtDto, CreateSubscriberDto, ListSubscribersDto, SubscriberPageSchema, SubscriberView, SubscriberViewSchema, UpdateSubscriberDto } from './subscribers.schemas';
import { SubscribersService } from './subscribers.service';

@ApiTags('subscribers')
@Controller('subscribers')
@Roles('technician', 'admin')
export class SubscribersController {
  constructor(private readonly subscribers: SubscribersService) {}

  @Post()
  @HttpCode(201)
  @Operation({
    id: 'createSubscriber',
    summary: 'Register a member',
    description: 'Registers a member (status pending) with the next member number. Operational data only: the legal identity goes to the vault, never here.',
    answer: SubscriberViewSchema,
  })
  create(@Body() body: CreateSubscriberDto): Promise<SubscriberView> {
    return this.subscribers.createSubscriber(body);
  }

  @Get()
  @Operation({
    id: 'listSubscribers',
    summary: 'List members',
    description: 'Members by member number, filtered by status and searched by member number, or part of the display name or email.',
    answer: SubscriberPageSchema,
  })
  list(@Query() query: ListSubscribersDto): Promise<Page<SubscriberView>> {
    return this.subscribers.listSubscribers(query);
  }

  @Get(':id')
  @Operation({ id: 'getSubscriber', summary: 'Get a member', description: 'One member, whatever their status.', answer: SubscriberViewSchema })
  get(@Param('id', IdParamPipe) id: string): Promise<SubscriberView> {
    return this.subscribers.getSubscriber(id);
  }

  @Patch(':id')
  @Operation({
    id: 'updateSubscriber',
    summary: 'Change a member',
    description:
      'Changes the display name, email or language, or activates or suspends the member. An empty body is a 400; an impossible transition ' +
      '(e.g. from terminated) is a 409 whose problem names both states (from, to).',
    answer: SubscriberViewSchema,
    problems: [409],
  })
  update(@Param('id', IdParamPipe) id: string, @Body() body: UpdateSubscriberDto): Promise<SubscriberView> {
    return this.subscribers.updateSubscriber(id, body);
  }

  @Post(':id/terminate')
  @HttpCode(200)
  @Operation({
    id: 'terminateSubscriber',
    summary: 'Terminate a membership',
    description:
      'Terminates the membership at `at` (default now, may lie in the past); its active subscriptions end at the same instant, by the rule of POST /subscriptions/{id}/end, releasing what they held. ' +
      'A member already terminated is a 409; an `at` in the future, or before the start of a subscription that has started, is a 422.',
    answer: SubscriberViewSchema,
    problems: [409, 422],
  })
  terminate(@Param('id', IdParamPipe) id: string, @Body() body: AtDto): Promise<SubscriberView> {
    return this.subscribers.terminateSubscriber(id, body.at);
  }
}
