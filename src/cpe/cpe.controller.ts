import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { CurrentActor, Actor, Roles } from '../common/access';
import { IdParamPipe } from '../common/id-param.pipe';
import { PaginationDto } from '../common/pagination';
import { CpeInventoryService } from './cpe-inventory.service';
import { CpeLoansService } from './cpe-loans.service';
import { AssignCpeDto, CreateCpeDto, CpeViewDto, ListCpeDto, LoanPageDto, ReturnCpeDto } from './cpe.schemas';

@ApiTags('cpe')
@ApiBearerAuth()
@Controller('cpe')
@Roles('technician', 'admin')
export class CpeController {
  constructor(
    private readonly inventory: CpeInventoryService,
    private readonly loans: CpeLoansService,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a device in stock. A serial or MAC address already in the inventory is a 409.' })
  @ApiResponse({ status: 201, type: CpeViewDto })
  create(@Body() body: CreateCpeDto) {
    return this.inventory.createCpe(body);
  }

  @Get()
  @ApiOperation({ summary: 'List devices, optionally by status (in_stock, assigned, broken).' })
  list(@Query() query: ListCpeDto) {
    return this.inventory.listCpe(query);
  }

  // Declared before ':id' so that "to-collect" is not read as an id.
  @Get('to-collect')
  @ApiOperation({ summary: 'Devices still lent to a subscription that has ended: to be collected.' })
  toCollect(@Query() query: PaginationDto) {
    return this.loans.toCollect(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One device, and who has it now.' })
  @ApiResponse({ status: 200, type: CpeViewDto })
  get(@Param('id', IdParamPipe) id: string) {
    return this.inventory.getCpe(id);
  }

  @Get(':id/history')
  @ApiOperation({ summary: 'Who had the device when: its loans, latest first, with how it came back.' })
  @ApiResponse({ status: 200, type: LoanPageDto })
  history(@Param('id', IdParamPipe) id: string, @Query() query: PaginationDto) {
    return this.loans.history(id, query);
  }

  @Post(':id/assign')
  @HttpCode(200)
  @ApiOperation({ summary: 'Lend a device in stock to an active subscription; an assigned or broken device, or an ended subscription, is a 409.' })
  @ApiResponse({ status: 200, type: CpeViewDto })
  assign(@Param('id', IdParamPipe) id: string, @Body() body: AssignCpeDto, @CurrentActor() actor: Actor) {
    return this.loans.assign(id, body.subscriptionId, actor);
  }

  @Post(':id/return')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take a lent device back: ok returns it to stock, broken takes it out. A device not lent out is a 409.' })
  @ApiResponse({ status: 200, type: CpeViewDto })
  takeBack(@Param('id', IdParamPipe) id: string, @Body() body: ReturnCpeDto, @CurrentActor() actor: Actor) {
    return this.loans.takeBack(id, body.condition, actor);
  }
}
