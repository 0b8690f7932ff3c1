import { applyDecorators, CanActivate, createParamDecorator, ExecutionContext, Header, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import '@fastify/cookie';
import Tokens from '@fastify/csrf';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Actor, NotAnOperation, Public, Role } from '../common/access';
import { pageLanguage, PageLanguage } from './page-language';
import { pagePathOf } from '../common/page-paths';
import { PageFrame } from './page-renderer';
import { WebError, WebErrorCode } from './web.errors';
import { SessionHolder, WebSessions } from './web-sessions.service';

export const SESSION_COOKIE = 'lanterne_session';
export const CSRF_COOKIE = 'lanterne_form';
export const LANGUAGE_COOKIE = 'lanterne_lang';

const PAGE_ACCESS = 'lanterne:page-access';
type PageAccessRule = { anyone: true } | { anyone: false; roles: Role[] };

/** Form tokens: a secret per visitor in an HttpOnly cookie, and a token per form derived from it. */
const tokens = Tokens() as unknown as { secretSync(): string; create(secret: string): string; verify(secret: string, token: string): boolean };

/**
 * A web page, outside the API: no bearer token (hence `Public` for the API's guard), but a session
 * cookie checked by PageGuard against the roles given (none: anyone), and a form token on every
 * request that changes something. Pages stay out of the OpenAPI document.
 */
export const Page = (...roles: Role[]) =>
  applyDecorators(
    Public(),
    SetMetadata(PAGE_ACCESS, (roles.length === 0 ? { anyone: true } : { anyone: false, roles }) satisfies PageAccessRule),
    UseGuards(PageGuard),
    Header('Content-Type', 'text/html; charset=utf-8'),
    Header('Cache-Control', 'no-store'),
    NotAnOperation(),
  );

type PageRequest = FastifyRequest & { actor?: Actor; pageHolder?: SessionHolder | null };

@Injectable()
export class PageGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly sessions: WebSessions,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = this.reflector.getAllAndOverride<PageAccessRule | undefined>(PAGE_ACCESS, [context.getHandler(), context.getClass()]);
    if (!rule) throw new WebError(WebErrorCode.NotForYou, 'This page declares no access rule.');
    const request = context.switchToHttp().getRequest<PageRequest>();
    const cookie = request.cookies?.[SESSION_COOKIE];
    const holder = cookie ? await this.sessions.holderOf(cookie) : null;
    request.pageHolder = holder;
    if (request.method !== 'GET' && request.method !== 'HEAD') assertFormToken(request);
    if (rule.anyone) {
      if (holder) request.actor = { ...holder, role: holder.roles[0] };
      return true;
    }
    if (!holder) throw new WebError(WebErrorCode.SignInRequired, 'Sign in to see this page.');
    const role = holder.roles.find((r) => rule.roles.includes(r));
    if (!role) throw new WebError(WebErrorCode.NotForYou, `This page is for: ${rule.roles.join(', ')}.`);
    request.actor = { ...holder, role };
    return true;
  }
}

/** A form posted without the token of this visitor's form cookie is refused: another site cannot post on their behalf. */
function assertFormToken(request: PageRequest): void {
  const secret = request.cookies?.[CSRF_COOKIE];
  const token = (request.body as Record<string, unknown> | undefined)?._csrf;
  if (!secret || typeof token !== 'string' || !tokens.verify(secret, token)) {
    throw new WebError(WebErrorCode.BadCsrfToken, 'This form has expired or did not come from Lanterne: reload the page and send it again.');
  }
}

export function isSecure(request: FastifyRequest): boolean {
  return request.protocol === 'https';
}

/** The frame of a page: language, form token (setting this visitor's form cookie on the first page), who is signed in. */
export function pageFrame(request: PageRequest, reply: FastifyReply): PageFrame {
  const secret = request.cookies?.[CSRF_COOKIE] ?? tokens.secretSync();
  if (!request.cookies?.[CSRF_COOKIE]) {
    reply.setCookie(CSRF_COOKIE, secret, { path: '/', httpOnly: true, sameSite: 'strict', secure: isSecure(request) });
  }
  const holder = request.pageHolder ?? null;
  return {
    lang: languageOf(request),
    csrf: tokens.create(secret),
    holder: holder && { name: holder.name, roles: holder.roles },
    path: pagePathOf(request.url),
  };
}

export function languageOf(request: PageRequest): PageLanguage {
  return pageLanguage({ account: request.pageHolder?.language, cookie: request.cookies?.[LANGUAGE_COOKIE], acceptLanguage: request.headers['accept-language'] });
}

/** The page's frame, as a handler parameter. */
export const Frame = createParamDecorator((_: unknown, context: ExecutionContext): PageFrame => {
  const http = context.switchToHttp();
  return pageFrame(http.getRequest<PageRequest>(), http.getResponse<FastifyReply>());
});
