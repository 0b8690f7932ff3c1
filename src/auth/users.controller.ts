import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IdParamPipe } from '../common/id-param.pipe';
import { PaginationDto } from '../common/pagination';
import { AccountViewDto, CreateAccountDto, CreatedAccountDto } from './auth.schemas';
import { AccountView, AuthService } from './auth.service';
import { Actor, CurrentActor, CurrentPrincipal, Principal, Roles } from './roles';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller()
export class UsersController {
  constructor(private readonly auth: AuthService) {}

  @Post('users')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Create an account; its bearer token is shown once in the answer and stored only hashed. Recorded in the ledger.' })
  @ApiResponse({ status: 201, type: CreatedAccountDto })
  createAccount(@Body() body: CreateAccountDto, @CurrentActor() actor: Actor): Promise<CreatedAccountDto> {
    return this.auth.createAccount(body, actor);
  }

  @Get('users')
  @Roles('admin')
  @ApiOperation({ summary: 'List active accounts.' })
  listAccounts(@Query() query: PaginationDto) {
    return this.auth.listAccounts(query);
  }

  @Get('users/:id')
  @Roles('admin')
  @ApiResponse({ status: 200, type: AccountViewDto })
  getAccount(@Param('id', IdParamPipe) id: string): Promise<AccountView> {
    return this.auth.getAccount(id);
  }

  @Get('me')
  @Roles('admin', 'technician', 'ccj', 'member')
  @ApiOperation({ summary: 'The account behind the bearer token.' })
  @ApiResponse({ status: 200, type: AccountViewDto })
  me(@CurrentPrincipal() principal: Principal): AccountView {
    return { id: principal.accountId, name: principal.name, roles: principal.roles, ...(principal.subscriberId ? { subscriberId: principal.subscriberId } : {}) };
  }
}
