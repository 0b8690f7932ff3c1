import { Body, Controller, Get, HttpCode, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Actor } from '../common/access';
import { Clock } from '../common/clock';
import { PAGES_PREFIX } from '../common/page-paths';
import { statusOfKind } from '../common/problem.filter';
import { MemberData } from '../privacy/member-data.schemas';
import { exportFileName, MemberDataService } from '../privacy/member-data.service';
import { PrivacyError, PrivacyErrorCode } from '../privacy/privacy.errors';
import { IDENTITY_FIELDS, RECTIFIABLE_FIELDS } from '../privacy/rectifications.schemas';
import { RectificationsService } from '../privacy/rectifications.service';
import { codeLabel } from './code-labels';
import { categoryPanels } from './member-view';
import { Frame, Page } from './page-access';
import { PageFrame, PageRenderer } from './page-renderer';
import { RectificationFormDto, RectificationsPageDto } from './web.schemas';

type PageRequest = FastifyRequest & { actor?: Actor };

/** What a refused rectification re-renders the form with, rather than a bare problem page. */
const FORM_REFUSALS: ReadonlySet<PrivacyErrorCode> = new Set([PrivacyErrorCode.IdentityNotRectifiable, PrivacyErrorCode.InvalidProposedValue, PrivacyErrorCode.RectificationPending]);

interface RectificationForm {
  field?: string;
  proposedValue?: string;
  note?: string;
  problem?: string;
}

/**
 * A member's own pages: what the association holds about them, who looked and why, the requests of
 * the justice system that concerned them, their rectifications. No id in any path: each reads the
 * signed-in account's subscriber. Each page runs the export once (GET /api/v1/me/data's own
 * assembly, which records the identity read as member-request).
 */
@Controller(PAGES_PREFIX)
export class MemberPagesController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly memberData: MemberDataService,
    private readonly rectifications: RectificationsService,
    private readonly clock: Clock,
  ) {}

  @Get('me')
  @Page('member')
  async overview(@Frame() frame: PageFrame, @Req() request: PageRequest): Promise<string> {
    const data = await this.memberData.exportFor(request.actor as Actor);
    return this.pages.render('member/overview', frame, {
      title: this.pages.text(frame.lang, 'member.overview.title'),
      subscriber: data.subscriber,
      identity: data.identity,
      categories: categoryPanels(data).map((category) => ({ ...category, label: this.label(frame, 'record.categories', category.category) })),
      counts: { accessLog: data.accessLog.length, legalRequests: data.legalRequests.length, rectifications: data.subscriber.rectifications.length },
    });
  }

  @Get('me/access-log')
  @Page('member')
  async accessLog(@Frame() frame: PageFrame, @Req() request: PageRequest): Promise<string> {
    // Latest first: what was just done is what a member looks for.
    const entries = (await this.memberData.accessLogFor(request.actor as Actor)).reverse().map((entry) => ({
      ...entry,
      actionLabel: this.label(frame, 'member.actions', entry.action),
      roleLabel: this.label(frame, 'member.roles', entry.actorRole),
      categoryLabel: entry.purposeCategory && this.label(frame, 'member.purposeCategories', entry.purposeCategory),
    }));
    return this.pages.render('member/access-log', frame, { title: this.pages.text(frame.lang, 'member.accessLog.title'), entries });
  }

  @Get('me/legal-requests')
  @Page('member')
  async legalRequests(@Frame() frame: PageFrame, @Req() request: PageRequest): Promise<string> {
    const requests = await this.memberData.legalRequestsFor(request.actor as Actor);
    return this.pages.render('member/legal-requests', frame, { title: this.pages.text(frame.lang, 'member.legalRequests.title'), requests });
  }

  /** The same file as GET /api/v1/me/data, for a browser: a JSON attachment. */
  @Get('me/data.json')
  @Page('member')
  async download(@Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<MemberData> {
    const data = await this.memberData.exportFor(request.actor as Actor);
    reply.type('application/json; charset=utf-8');
    reply.header('content-disposition', `attachment; filename="${exportFileName(this.clock.now())}"`);
    return data;
  }

  @Get('me/rectifications')
  @Page('member')
  async rectificationsPage(@Frame() frame: PageFrame, @Query() query: RectificationsPageDto, @Req() request: PageRequest): Promise<string> {
    return this.rectificationsForm(frame, request.actor as Actor, {}, query.sent === '1');
  }

  @Post('me/rectifications')
  @HttpCode(200)
  @Page('member')
  async propose(@Body() body: RectificationFormDto, @Frame() frame: PageFrame, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | undefined> {
    const actor = request.actor as Actor;
    const { _csrf: _token, ...input } = body;
    try {
      await this.rectifications.propose(this.memberData.ownSubscriber(actor), input, actor);
    } catch (error) {
      if (!(error instanceof PrivacyError) || !FORM_REFUSALS.has(error.code)) throw error;
      reply.status(statusOfKind(error.kind));
      return this.rectificationsForm(frame, actor, { ...input, problem: error.detail }, false);
    }
    void reply.redirect('/me/rectifications?sent=1', 303);
    return undefined;
  }

  private async rectificationsForm(frame: PageFrame, actor: Actor, form: RectificationForm, sent: boolean): Promise<string> {
    const requests = await this.rectifications.listOf(this.memberData.ownSubscriber(actor));
    const option = (field: string) => ({ field, selected: field === form.field });
    return this.pages.render('member/rectifications', frame, {
      title: this.pages.text(frame.lang, 'member.rectifications.title'),
      requests: requests.map((r) => ({ ...r, statusLabel: this.label(frame, 'member.rectifications.statuses', r.status) })),
      fields: RECTIFIABLE_FIELDS.map(option),
      identityFields: IDENTITY_FIELDS.map(option),
      form,
      sent,
    });
  }

  private label(frame: PageFrame, group: string, code: string): string {
    return codeLabel(this.pages, frame.lang, group, code);
  }
}
