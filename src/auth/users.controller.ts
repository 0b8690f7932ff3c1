import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { IdParamPipe } from '../common/id-param.pipe';
import { Page, PaginationDto } from '../common/pagination';
import { Operation } from '../openapi';
import { AccountsService } from './accounts.service';
import {
  AccountContact,
  AccountContactSchema,
  AccountPageSchema,
  SetAccountContactDto,
  AccountView,
  AccountViewSchema,
  ChangeRolesDto,
  CreateAccountDto,
  CreatedAccount,
  CreatedAccountSchema,
  IssuedToken,
  IssuedTokenSchema,
} from './auth.schemas';
import { AuthService, toAccountView } from './auth.service';
import { Actor, CurrentActor, Roles } from '../common/access';

@ApiTags('accounts')
@Controller()
export class UsersController {
  constructor(
    private readonly auth: AuthService,
    private readonly accounts: AccountsService,
  ) {}

  @Post('users')
  @HttpCode(201)
  @Roles('admin')
  @Operation({
    id: 'createAccount',
    summary: 'Create an account',
    description:
      'Creates an account with its roles and returns its bearer token, shown this once and stored only hashed: keep it. ' +
      'A member account names the subscriber whose data it may see (subscriberId, which must exist: 404 otherwise). Recorded in the ledger.',
    answer: CreatedAccountSchema,
    problems: [404],
  })
  createAccount(@Body() body: CreateAccountDto, @CurrentActor() actor: Actor): Promise<CreatedAccount> {
    return this.auth.createAccount(body, actor);
  }

  @Get('users')
  @Roles('admin')
  @Operation({ id: 'listAccounts', summary: 'List accounts', description: 'Accounts that are not revoked, oldest first.', answer: AccountPageSchema })
  listAccounts(@Query() query: PaginationDto): Promise<Page<AccountView>> {
    return this.auth.listAccounts(query);
  }

  @Get('users/:id')
  @Roles('admin')
  @Operation({ id: 'getAccount', summary: 'Get an account', description: 'One account, revoked or not; never its token.', answer: AccountViewSchema })
  getAccount(@Param('id', IdParamPipe) id: string): Promise<AccountView> {
    return this.auth.getAccount(id);
  }

  @Patch('users/:id')
  @Roles('admin')
  @Operation({
    id: 'changeAccountRoles',
    summary: 'Change the roles of an account',
    description:
      'Replaces the roles (and the subscriber of a member account). Recorded in the ledger. ' +
      'The last admin cannot drop its role, and a revoked account cannot change: 409.',
    answer: AccountViewSchema,
    problems: [409],
  })
  changeRoles(@Param('id', IdParamPipe) id: string, @Body() body: ChangeRolesDto, @CurrentActor() actor: Actor): Promise<AccountView> {
    return this.accounts.changeRoles(id, body, actor);
  }

  @Post('users/:id/token')
  @HttpCode(201)
  @Roles('admin')
  @Operation({
    id: 'issueAccountToken',
    summary: 'Issue a new bearer token',
    description: 'Returns a new token for the account, shown this once; the previous token stops working at once. A revoked account is a 409. Recorded in the ledger.',
    answer: IssuedTokenSchema,
    problems: [409],
  })
  issueToken(@Param('id', IdParamPipe) id: string, @CurrentActor() actor: Actor): Promise<IssuedToken> {
    return this.accounts.issueToken(id, actor);
  }

  @Post('users/:id/revoke')
  @HttpCode(204)
  @Roles('admin')
  @Operation({
    id: 'revokeAccount',
    summary: 'Revoke an account',
    description: 'Its token stops working at once. The last admin cannot be revoked, nor an account twice: 409. Recorded in the ledger.',
    answer: null,
    problems: [409],
  })
  async revoke(@Param('id', IdParamPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.accounts.revoke(id, actor);
  }

  @Get('me')
  @Roles('admin', 'technician', 'ccj', 'member')
  @Operation({ id: 'getMe', summary: 'The account behind the token', description: 'Who the bearer token belongs to, and its roles.', answer: AccountViewSchema })
  me(@CurrentActor() actor: Actor): AccountView {
    return toAccountView({ id: actor.id!, name: actor.name, roles: actor.roles, subscriberId: actor.subscriberId });
  }

  @Get('me/contact')
  @Roles('admin', 'technician', 'ccj', 'member')
  @Operation({ id: 'getMyContact', summary: 'How the account is told', description: "The e-mail address the account's circle notices go to, and its language.", answer: AccountContactSchema })
  async myContact(@CurrentActor() actor: Actor): Promise<AccountContact> {
    const { email, language } = await this.accounts.contact(actor.id as string);
    return { email, language };
  }

  @Put('me/contact')
  @Roles('admin', 'technician', 'ccj', 'member')
  @Operation({
    id: 'setMyContact',
    summary: 'Set how the account is told',
    description:
      "Sets the e-mail address to which the account's circles send their notices (new proposals, closings, deadlines) and its language. " +
      "A member account has no e-mail of its own (422): the association writes to the subscriber's address. The change, not the address, is recorded in the ledger.",
    answer: AccountContactSchema,
    problems: [422],
  })
  setMyContact(@Body() body: SetAccountContactDto, @CurrentActor() actor: Actor): Promise<AccountContact> {
    return this.accounts.setContact(actor, body);
  }
}
