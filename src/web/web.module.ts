import { Module, OnModuleInit } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AuthModule } from '../auth/auth.module';
import { ConsensusModule } from '../consensus/consensus.module';
import { LegalRequestsModule } from '../legal-requests/legal-requests.module';
import { CanaryModule } from '../canary/canary.module';
import { GovernanceModule } from '../governance/governance.module';
import { ProblemPages } from '../common/problem-pages';
import type { ProblemDocument } from '../common/problem.schema';
import { LedgerModule } from '../ledger/ledger.module';
import { OutboxModule } from '../outbox/outbox.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { SubscribersModule } from '../subscribers/subscribers.module';
import { CpeModule } from '../cpe/cpe.module';
import { IdentityModule } from '../identity/identity.module';
import { IpamModule } from '../ipam/ipam.module';
import { TunnelsModule } from '../tunnels/tunnels.module';
import { TechPagesController } from './tech-pages.controller';
import { RectificationPagesController } from './rectification-pages.controller';
import { BoardPagesController } from './board-pages.controller';
import { MemberPagesController } from './member-pages.controller';
import { AdminPagesController } from './admin-pages.controller';
import { PageGuard, pageFrame } from './page-access';
import { isPageUrl, pagePathOf } from '../common/page-paths';
import { PageRenderer } from './page-renderer';
import { PublicPagesController } from './public-pages.controller';
import { PublicRecordPagesController } from './public-record-pages.controller';
import { SignInController } from './sign-in.controller';
import { SignIn } from './sign-in.service';
import { WebSessions } from './web-sessions.service';

/**
 * The web pages, server-rendered by the same process from the same services as the API: no second set
 * of rules. Plain HTML forms, a small stylesheet, no script; page sessions by cookie.
 */
@Module({
  imports: [AuthModule, SubscribersModule, OutboxModule, LedgerModule, IpamModule, TunnelsModule, CpeModule, IdentityModule, LegalRequestsModule, ConsensusModule, PrivacyModule, CanaryModule, GovernanceModule],
  controllers: [PublicPagesController, SignInController, TechPagesController, BoardPagesController, MemberPagesController, PublicRecordPagesController, AdminPagesController, RectificationPagesController],
  providers: [PageRenderer, PageGuard, WebSessions, SignIn],
})
export class WebModule implements OnModuleInit {
  constructor(
    private readonly problems: ProblemPages,
    private readonly pages: PageRenderer,
  ) {}

  onModuleInit(): void {
    this.problems.register((problem, request, reply) => this.renderProblem(problem, request, reply));
  }

  /**
   * A page's problem, for a browser: a page asking to sign in sends there (and back after); any other
   * is shown with its status. A client that does not ask for HTML keeps problem+json.
   */
  private renderProblem(problem: ProblemDocument, request: FastifyRequest, reply: FastifyReply): boolean {
    if (!isPageUrl(request.url) || !/text\/html/.test(request.headers.accept ?? '')) return false;
    const next = pagePathOf(request.url);
    if (problem.status === 401 && request.method === 'GET') {
      void reply.redirect(`/sign-in?next=${encodeURIComponent(next)}`, 303);
      return true;
    }
    const frame = pageFrame(request, reply);
    const html = this.pages.render('problem', frame, { title: problem.title, problem, signIn: problem.status === 401, next: encodeURIComponent(next) });
    void reply.status(problem.status).type('text/html; charset=utf-8').header('Cache-Control', 'no-store').send(html);
    return true;
  }
}
