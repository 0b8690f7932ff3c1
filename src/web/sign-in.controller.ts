import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AccountsService } from '../auth/accounts.service';
import { Actor } from '../common/access';
import { Frame, isSecure, LANGUAGE_COOKIE, Page, SESSION_COOKIE } from './page-access';
import { PageFrame, PageRenderer } from './page-renderer';
import { PAGES_PREFIX } from '../common/page-paths';
import { SIGN_IN_LINK_MINUTES, SignIn } from './sign-in.service';
import { FormOnlyDto, LanguageChoiceDto, LinkRequestDto, SignInPageDto, TokenSignInDto } from './web.schemas';
import { WebSessions } from './web-sessions.service';

type PageRequest = FastifyRequest & { actor?: Actor };

/** Signing in and out, and the language switch: forms that work without JavaScript. */
@Controller(PAGES_PREFIX)
export class SignInController {
  constructor(
    private readonly pages: PageRenderer,
    private readonly signIn: SignIn,
    private readonly sessions: WebSessions,
    private readonly accounts: AccountsService,
  ) {}

  @Get('sign-in')
  @Page()
  signInPage(@Frame() frame: PageFrame, @Query() query: SignInPageDto): string {
    return this.form(frame, { next: query.next ?? '' });
  }

  @Post('sign-in/token')
  @HttpCode(200)
  @Page()
  async withToken(@Body() body: TokenSignInDto, @Frame() frame: PageFrame, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | undefined> {
    const session = await this.signIn.withToken(body.token, request.ip);
    if (!session) {
      reply.status(401);
      return this.form(frame, { next: body.next ?? '', problem: this.pages.text(frame.lang, 'signIn.badToken') });
    }
    this.setSession(request, reply, session);
    void reply.redirect(body.next ?? '/', 303);
    return undefined;
  }

  @Post('sign-in/link')
  @HttpCode(200)
  @Page()
  async sendLink(@Body() body: LinkRequestDto, @Frame() frame: PageFrame): Promise<string> {
    await this.signIn.sendLink(body.email);
    return this.form(frame, { next: '', notice: this.pages.text(frame.lang, 'signIn.sent') });
  }

  /** The link asks before it signs in: a mail scanner following links must not use it up. */
  @Get('sign-in/link/:token')
  @Page()
  async linkPage(@Param('token') token: string, @Frame() frame: PageFrame): Promise<string> {
    return this.pages.render('sign-in-link', frame, { title: this.pages.text(frame.lang, 'signIn.linkTitle'), token: encodeURIComponent(token), usable: await this.signIn.linkIsUsable(token) });
  }

  @Post('sign-in/link/:token')
  @HttpCode(200)
  @Page()
  async useLink(@Param('token') token: string, @Body() _body: FormOnlyDto, @Frame() frame: PageFrame, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | undefined> {
    const session = await this.signIn.redeemLink(token);
    if (!session) {
      reply.status(410);
      return this.pages.render('sign-in-link', frame, { title: this.pages.text(frame.lang, 'signIn.linkTitle'), usable: false });
    }
    this.setSession(request, reply, session);
    void reply.redirect('/', 303);
    return undefined;
  }

  @Post('sign-out')
  @HttpCode(200)
  @Page()
  async signOut(@Body() _body: FormOnlyDto, @Frame() frame: PageFrame, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) await this.sessions.end(cookie);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return this.form({ ...frame, holder: null }, { next: '', notice: this.pages.text(frame.lang, 'signIn.signedOut') });
  }

  @Post('sign-out/everywhere')
  @HttpCode(200)
  @Page('admin', 'observer', 'technician', 'ccj', 'member')
  async signOutEverywhere(@Body() _body: FormOnlyDto, @Frame() frame: PageFrame, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    await this.sessions.endEverywhere(request.actor as Actor);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return this.form({ ...frame, holder: null }, { next: '', notice: this.pages.text(frame.lang, 'signIn.signedOutEverywhere') });
  }

  /** The choice is kept in a cookie, and on the account of whoever is signed in. */
  @Post('language')
  @HttpCode(200)
  @Page()
  async chooseLanguage(@Body() body: LanguageChoiceDto, @Req() request: PageRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<undefined> {
    reply.setCookie(LANGUAGE_COOKIE, body.lang, { path: '/', httpOnly: true, sameSite: 'strict', secure: isSecure(request), maxAge: 365 * 86400 });
    if (request.actor) {
      const { email } = await this.accounts.contact(request.actor.id as string);
      await this.accounts.setContact(request.actor, { email, language: body.lang });
    }
    void reply.redirect(body.back ?? '/', 303);
    return undefined;
  }

  private form(frame: PageFrame, data: { next: string; notice?: string; problem?: string }): string {
    return this.pages.render('sign-in', frame, { title: this.pages.text(frame.lang, 'signIn.title'), linkMinutes: SIGN_IN_LINK_MINUTES, ...data });
  }

  private setSession(request: FastifyRequest, reply: FastifyReply, session: { cookie: string; expiresAt: Date }): void {
    reply.setCookie(SESSION_COOKIE, session.cookie, { path: '/', httpOnly: true, sameSite: 'strict', secure: isSecure(request), expires: session.expiresAt });
  }
}
