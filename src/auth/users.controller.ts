import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { IdParamPipe } from '../common/id-param.pipe';
import { PaginationDto } from '../common/pagination';
import { AccountsService } from './accounts.service';
import { AccountViewDto, ChangeRolesDto, CreateAccountDto, CreatedAccountDto, IssuedTokenDto } from './auth.schemas';
import { AccountView, AuthService, toAccountView } from './auth.service';
import { Actor, CurrentActor, Roles } from '../common/access';

@ApiTags('accounts')
@ApiBearerAuth()
@Controller()
export class UsersController {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: AccountsService,
  ) {}

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

  @Patch('users/:id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change the roles of an account (and the subscriber of a member account). Recorded in the ledger; the last admin cannot drop its role (409).' })
  @ApiResponse({ status: 200, type: AccountViewDto })
  changeRoles(@Param('id', IdParamPipe) id: string, @Body() body: ChangeRolesDto, @CurrentActor() actor: Actor): Promise<AccountView> {
    return this.accounts.changeRoles(id, body, actor);
  }

  @Post('users/:id/token')
  @HttpCode(201)
  @Roles('admin')
  @ApiOperation({ summary: 'Issue a new bearer token for an account, shown once; the previous token stops working. Recorded in the ledger.' })
  @ApiResponse({ status: 201, type: IssuedTokenDto })
  issueToken(@Param('id', IdParamPipe) id: string, @CurrentActor() actor: Actor): Promise<IssuedTokenDto> {
    return this.accounts.issueToken(id, actor);
  }

  @Post('users/:id/revoke')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Revoke an account: its token stops working at once. Recorded in the ledger; the last admin cannot be revoked (409).' })
  async revoke(@Param('id', IdParamPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.accounts.revoke(id, actor);
  }

  @Get('me')
  @Roles('admin', 'technician', 'ccj', 'member')
  @ApiOperation({ summary: 'The account behind the bearer token.' })
  @ApiResponse({ status: 200, type: AccountViewDto })
  me(@CurrentActor() actor: Actor): AccountView {
    return toAccountView({ id: actor.id!, name: actor.name, roles: actor.roles, subscriberId: actor.subscriberId });
  }
}
