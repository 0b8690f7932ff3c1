import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { AtDto, CreateSubscriberDto, ListSubscribersDto, SubscriberViewDto, UpdateSubscriberDto } from './subscribers.schemas';
import { SubscribersService } from './subscribers.service';

@ApiTags('subscribers')
@ApiBearerAuth()
@Controller('subscribers')
@Roles('technician', 'admin')
export class SubscribersController {
  constructor(private readonly subscribers: SubscribersService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a member (status pending) with the next member number. No legal identity here: that goes to the vault.' })
  @ApiResponse({ status: 201, type: SubscriberViewDto })
  create(@Body() body: CreateSubscriberDto) {
    return this.subscribers.createSubscriber(body);
  }

  @Get()
  @ApiOperation({ summary: 'List members, filtered by status and searched by member number, display name or email.' })
  list(@Query() query: ListSubscribersDto) {
    return this.subscribers.listSubscribers(query);
  }

  @Get(':id')
  @ApiResponse({ status: 200, type: SubscriberViewDto })
  get(@Param('id', IdParamPipe) id: string) {
    return this.subscribers.getSubscriber(id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change display name, email, language, or activate/suspend. An impossible transition is a 409 naming both states.' })
  @ApiResponse({ status: 200, type: SubscriberViewDto })
  update(@Param('id', IdParamPipe) id: string, @Body() body: UpdateSubscriberDto) {
    return this.subscribers.updateSubscriber(id, body);
  }

  @Post(':id/terminate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Terminate the membership; its subscriptions end at the same instant, by the rule of POST /subscriptions/{id}/end.' })
  @ApiResponse({ status: 200, type: SubscriberViewDto })
  terminate(@Param('id', IdParamPipe) id: string, @Body() body: AtDto) {
    return this.subscribers.terminateSubscriber(id, body.at);
  }
}
