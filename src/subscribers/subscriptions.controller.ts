import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { AtDto, CreateSubscriptionDto, ListSubscriptionsDto, SubscriptionViewDto } from './subscribers.schemas';
import { SubscriptionsService } from './subscriptions.service';

@ApiTags('subscriptions')
@ApiBearerAuth()
@Controller('subscriptions')
@Roles('technician', 'admin')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Open a subscription for a member who is not terminated.' })
  @ApiResponse({ status: 201, type: SubscriptionViewDto })
  create(@Body() body: CreateSubscriptionDto) {
    return this.subscriptions.createSubscription(body);
  }

  @Get()
  list(@Query() query: ListSubscriptionsDto) {
    return this.subscriptions.listSubscriptions(query);
  }

  @Get(':id')
  @ApiResponse({ status: 200, type: SubscriptionViewDto })
  get(@Param('id', IdParamPipe) id: string) {
    return this.subscriptions.getSubscription(id);
  }

  @Post(':id/end')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'End a subscription (at defaults to now, never in the future, never before a start that has passed); one that has not started yet is cancelled: ' +
      'it starts and ends at that instant. What it held (IP assignments, CPE) is released in the same transaction.',
  })
  @ApiResponse({ status: 200, type: SubscriptionViewDto })
  end(@Param('id', IdParamPipe) id: string, @Body() body: AtDto) {
    return this.subscriptions.endSubscription(id, body.at);
  }
}
