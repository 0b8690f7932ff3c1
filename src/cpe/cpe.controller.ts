import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { CurrentActor, Actor, Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { Page, PaginationDto } from '../common/pagination';
import { Operation } from '../openapi';
import { CpeInventoryService } from './cpe-inventory.service';
import { CpeLoansService } from './cpe-loans.service';
import {
  AssignCpeDto,
  CpePageSchema,
  CpeToCollectPageSchema,
  CpeToCollectView,
  CpeView,
  CpeViewSchema,
  CreateCpeDto,
  ListCpeDto,
  LoanPageSchema,
  LoanView,
  ReturnCpeDto,
} from './cpe.schemas';

@ApiTags('cpe')
@Controller('cpe')
@Roles('technician', 'admin')
export class CpeController {
  constructor(
    private readonly inventory: CpeInventoryService,
    private readonly loans: CpeLoansService,
  ) {}

  @Post()
  @HttpCode(201)
  @Operation({
    id: 'createCpe',
    summary: 'Register a device',
    description: 'Registers a device in stock. MAC addresses are stored in lower-case colon form; a serial or MAC address already in the inventory is a 409.',
    answer: CpeViewSchema,
    problems: [409],
  })
  create(@Body() body: CreateCpeDto): Promise<CpeView> {
    return this.inventory.createCpe(body);
  }

  @Get()
  @Operation({ id: 'listCpe', summary: 'List devices', description: 'Devices in order of registration, optionally by status (in_stock, assigned, broken).', answer: CpePageSchema })
  list(@Query() query: ListCpeDto): Promise<Page<CpeView>> {
    return this.inventory.listCpe(query);
  }

  // Declared before ':id' so that "to-collect" is not read as an id.
  @Get('to-collect')
  @Operation({
    id: 'listCpeToCollect',
    summary: 'Devices to collect',
    description: 'Devices still lent to a subscription that has ended, the longest-ended first: to be collected from the member.',
    answer: CpeToCollectPageSchema,
  })
  toCollect(@Query() query: PaginationDto): Promise<Page<CpeToCollectView>> {
    return this.loans.toCollect(query);
  }

  @Get(':id')
  @Operation({ id: 'getCpe', summary: 'Get a device', description: 'One device, and the subscription it is lent to now.', answer: CpeViewSchema })
  get(@Param('id', IdParamPipe) id: string): Promise<CpeView> {
    return this.inventory.getCpe(id);
  }

  @Get(':id/history')
  @Operation({ id: 'getCpeHistory', summary: 'Loans of a device', description: 'Who had the device when: its loans, latest first, with how it came back.', answer: LoanPageSchema })
  history(@Param('id', IdParamPipe) id: string, @Query() query: PaginationDto): Promise<Page<LoanView>> {
    return this.loans.history(id, query);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @Operation({
    id: 'assignCpe',
    summary: 'Lend a device',
    description: 'Lends a device in stock to an active subscription. An unknown subscription is a 404; a device already lent or broken, or an ended subscription, is a 409.',
    answer: CpeViewSchema,
    problems: [409],
  })
  assign(@Param('id', IdParamPipe) id: string, @Body() body: AssignCpeDto, @CurrentActor() actor: Actor): Promise<CpeView> {
    return this.loans.assign(id, body.subscriptionId, actor);
  }

  @Post(':id/return')
  @HttpCode(200)
  @Operation({
    id: 'returnCpe',
    summary: 'Take a device back',
    description: 'Ends the loan of a device: condition ok returns it to stock, broken takes it out of stock for good. A device not lent out is a 409.',
    answer: CpeViewSchema,
    problems: [409],
  })
  takeBack(@Param('id', IdParamPipe) id: string, @Body() body: ReturnCpeDto, @CurrentActor() actor: Actor): Promise<CpeView> {
    return this.loans.takeBack(id, body.condition, actor);
  }
}
