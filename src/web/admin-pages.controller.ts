import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountsService } from '../auth/accounts.service';
import { AuthService } from '../auth/auth.service';
import { Actor, ROLES } from '../common/access';
import { Clock } from '../common/clock';
import { DomainError } from '../common/domain-error';
import { IdParamPipe } from '../common/id-param.pipe';
import { PAGES_PREFIX } from '../common/page-paths';
import { PaginationDto } from '../common/pagination';
import { statusOfKind } from '../common/problem.filter';
import { CIRCLE_ROLES } from '../consensus/consensus-rules';
import { CirclesService } from '../consensus/circles.service';
import { PRIVILEGES, CHANGES } from '../governance/governance.schemas';
import { PrivilegeProposalsService } from '../governance/privilege-proposals.service';
import { CheckpointService } from '../ledger/checkpoint.service';
import { LedgerVerifier } from '../ledger/ledger-verifier.service';
import { LedgerError, LedgerErrorCode } from '../ledger/ledger.errors';
import { VerifyResult } from '../ledger/ledger.schemas';
import { RetentionPoliciesService } from '../privacy/retention-policies.service';
import { RunReport } from '../privacy/retention.schemas';
import { RetentionService } from '../privacy/retention.service';
import { CreateAccountFormDto, PrivilegesPageDto, ProposePrivilegeFormDto, roleField, SetPolicyFormDto } from './admin-pages.schemas';
import { Frame, Page } from './page-access';
import { pageLinks } from './page-links';
import { PageFrame, PageRenderer } from './page-renderer';
import { FormOnlyDto } from './web.schemas';

type PageRequest = FastifyRequest & { actor: Actor };

/** What a page shows of a refusal: the service's own words, with its status. */
interface Refusal {
  status: number;
  detail: string;
}

/**
 * The admin's pages: accounts, retention, the ledger's state, and the board's privilege proposals.
 * Observers read every page without its forms (only an admin changes anything); each action is the
 * service call the API makes, and a service's refusal is shown on the page it came from.
 */
@Controller(PAGES_PREFIX)
export class AdminPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly auth: AuthService,
    private readonly accounts: AccountsService,
    private readonly privileges: PrivilegeProposalsService,
    private readonly circles: CirclesService,
    private readonly policies: RetentionPoliciesService,
    private readonly retention: RetentionService,
    private readonly checkpoints: CheckpointService,
    private readonly verifier: LedgerVerifier,
    private readonly clock: Clock,
  ) {}

  @Get('admin')
  @Page('admin', 'observer')
  overview(@Frame() frame: PageFrame, @Req() request: PageRequest): string {
    return this.pages.render('admin/overview', frame, { title: this.text(frame, 'admin.title'), observer: request.actor.role === 'observer' });
  }

  @Get('admin/accounts')
  @Page('admin', 'observer')
  accountsPage(@Query() query: PaginationDto, @Frame() frame: PageFrame, @Req() request: PageRequest): Promise<string> {
    return this.accountsView(frame, request.actor, query);
  }

  /** The token is on this answer only: it is stored hashed, and the list page never shows it. */
  @Post('admin/accounts')
  @HttpCode(201)
  @Page('admin')
  createAccount(@Body() body: CreateAccountFormDto, @Frame() frame: PageFrame, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.orRefused(
      reply,
      async () => {
        const created = await this.auth.createAccount(body, request.actor);
        return this.pages.render('admin/token', frame, { title: this.text(frame, 'admin.token.createdTitle'), created: true, name: body.name, token: created.token });
      },
      (refusal) => this.accountsView(frame, request.actor, { limit: 50, offset: 0 }, refusal),
    );
  }

  @Post('admin/accounts/:id/token')
  @HttpCode(201)
  @Page('admin')
  issueToken(@Param('id', IdParamPipe) id: string, @Body() _body: FormOnlyDto, @Frame() frame: PageFrame, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    return this.orRefused(
      reply,
      async () => {
        const { name } = await this.auth.getAccount(id);
        const { token } = await this.accounts.issueToken(id, request.actor);
        return this.pages.render('admin/token', frame, { title: this.text(frame, 'admin.token.issuedTitle'), created: false, name, token });
      },
      (refusal) => this.accountsView(frame, request.actor, { limit: 50, offset: 0 }, refusal),
    );
  }

  @Post('admin/accounts/:id/revoke')
  @HttpCode(200)
  @Page('admin')
  revoke(@Param('id', IdParamPipe) id: string, @Body() _body: FormOnlyDto, @Frame() frame: PageFrame, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | undefined> {
    return this.orRefused(
      reply,
      async () => {
        await this.accounts.revoke(id, request.actor);
        void reply.redirect('/admin/accounts', 303);
        return undefined;
      },
      (refusal) => this.accountsView(frame, request.actor, { limit: 50, offset: 0 }, refusal),
    );
  }

  /** How privileges are granted; a board member proposes here, as with POST /privilege-proposals. */
  @Get('admin/privileges')
  @Page('observer', ...CIRCLE_ROLES)
  privilegesPage(@Query() query: PrivilegesPageDto, @Frame() frame: PageFrame, @Req() request: PageRequest): Promise<string> {
    return this.privilegesView(frame, request.actor, query.proposed);
  }

  @Post('admin/privileges')
  @HttpCode(200)
  @Page(...CIRCLE_ROLES)
  propose(@Body() body: ProposePrivilegeFormDto, @Frame() frame: PageFrame, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | undefined> {
    return this.orRefused(
      reply,
      async () => {
        const { proposalId } = await this.privileges.propose(body, request.actor);
        void reply.redirect(`/admin/privileges?proposed=${proposalId}`, 303);
        return undefined;
      },
      (refusal) => this.privilegesView(frame, request.actor, undefined, refusal),
    );
  }

  @Get('admin/retention')
  @Page('admin', 'observer')
  retentionPage(@Frame() frame: PageFrame, @Req() request: PageRequest): Promise<string> {
    return this.retentionView(frame, request.actor);
  }

  @Post('admin/retention/policies/:category')
  @HttpCode(200)
  @Page('admin')
  setPolicy(@Param('category') category: string, @Body() body: SetPolicyFormDto, @Frame() frame: PageFrame, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | undefined> {
    return this.orRefused(
      reply,
      async () => {
        await this.policies.set(category, body, request.actor);
        void reply.redirect('/admin/retention', 303);
        return undefined;
      },
      (refusal) => this.retentionView(frame, request.actor, { refusal }),
    );
  }

  /** The counts are on this answer: the run is recorded in the ledger, not kept for a later page. */
  @Post('admin/retention/run')
  @HttpCode(200)
  @Page('admin')
  async runRetention(@Body() _body: FormOnlyDto, @Frame() frame: PageFrame, @Req() request: PageRequest): Promise<string> {
    const report = await this.retention.run(request.actor);
    return this.retentionView(frame, request.actor, { report });
  }

  @Get('admin/ledger')
  @Page('admin', 'observer')
  ledgerPage(@Frame() frame: PageFrame): Promise<string> {
    return this.ledgerView(frame, null);
  }

  /** A verification reads and changes nothing, as GET /ledger/verify: observers may run it too. Its result is not kept. */
  @Get('admin/ledger/verify')
  @Page('admin', 'observer')
  async verifyLedger(@Frame() frame: PageFrame): Promise<string> {
    const result = await this.verifier.verify();
    return this.ledgerView(frame, { ...result, firstBad: result.firstBadIndex !== undefined, ranAt: this.clock.now().toISOString() });
  }

  private text(frame: PageFrame, key: string, values: Record<string, unknown> = {}): string {
    return this.pages.text(frame.lang, key, values);
  }

  /** The action's page, or the page it was sent from again with the service's refusal and its status. */
  private async orRefused<T>(reply: FastifyReply, action: () => Promise<T>, refused: (refusal: Refusal) => Promise<string>): Promise<T | string> {
    try {
      return await action();
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const status = statusOfKind(error.kind);
      void reply.status(status);
      return refused({ status, detail: error.detail });
    }
  }

  private async accountsView(frame: PageFrame, actor: Actor, page: { limit: number; offset: number }, refusal?: Refusal): Promise<string> {
    const list = await this.auth.listAccounts(page);
    return this.pages.render('admin/accounts', frame, {
      title: this.text(frame, 'admin.accounts.title'),
      canChange: actor.role === 'admin',
      accounts: list.items,
      range: { from: list.items.length > 0 ? list.offset + 1 : 0, to: list.offset + list.items.length, total: list.total },
      ...pageLinks('/admin/accounts', { limit: String(list.limit) }, list),
      roles: ROLES.map((role) => ({ field: roleField(role), label: this.text(frame, `admin.roles.${role}`) })),
      refusal,
    });
  }

  private async privilegesView(frame: PageFrame, actor: Actor, proposed?: string, refusal?: Refusal): Promise<string> {
    const board = await this.circles.members('board');
    return this.pages.render('admin/privileges', frame, {
      title: this.text(frame, 'admin.privileges.title'),
      onBoard: board.items.some((member) => member.accountId === actor.id),
      privileges: PRIVILEGES.map((value) => ({ value, label: this.text(frame, `admin.privileges.privileges.${value}`) })),
      changes: CHANGES.map((value) => ({ value, label: this.text(frame, `admin.privileges.changes.${value}`) })),
      proposed,
      refusal,
    });
  }

  private async retentionView(frame: PageFrame, actor: Actor, shown: { report?: RunReport; refusal?: Refusal } = {}): Promise<string> {
    const list = await this.policies.list();
    return this.pages.render('admin/retention', frame, {
      title: this.text(frame, 'admin.retention.title'),
      canChange: actor.role === 'admin',
      profile: list.profile,
      jurisdiction: list.jurisdiction,
      policies: list.items.map((policy) => ({ ...policy, label: this.categoryLabel(frame, policy.category) })),
      purged: shown.report && Object.entries(shown.report.purged).map(([category, count]) => ({ label: this.categoryLabel(frame, category), count })),
      refusal: shown.refusal,
    });
  }

  /** A category's name in the page's language; one added since has its code until it is translated. */
  private categoryLabel(frame: PageFrame, category: string): string {
    return this.text(frame, `admin.retention.categories.${category}`, { defaultValue: category });
  }

  private async ledgerView(frame: PageFrame, verification: (VerifyResult & { firstBad: boolean; ranAt: string }) | null): Promise<string> {
    const checkpoint = await this.checkpoints.latest().catch((error: unknown) => {
      if (error instanceof LedgerError && error.code === LedgerErrorCode.NoCheckpoint) return null;
      throw error;
    });
    return this.pages.render('admin/ledger', frame, { title: this.text(frame, 'admin.ledger.title'), checkpoint, verification });
  }
}
