import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CommonError, CommonErrorCode } from '../common/common.errors';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { AuthService } from './auth.service';
import { ACCESS_METADATA, Actor, admittedRoles, RouteAccess } from '../common/access';

/** Checks the bearer token and the route's role list on every request. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
    @Inject(AuthFailureLimiter) private readonly limiter: AuthFailureLimiter,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const access = this.reflector.getAllAndOverride<RouteAccess | undefined>(ACCESS_METADATA, [context.getHandler(), context.getClass()]);
    // The start-up check makes this unreachable; refusing keeps a mistake from opening a route.
    if (!access) throw new CommonError(CommonErrorCode.Forbidden, 'This route declares no access rule.');
    const request = context.switchToHttp().getRequest<FastifyRequest & { actor?: Actor }>();
    const header = request.headers.authorization;
    if (access.public && !header) return true;

    // Authenticate first: a valid token is served whatever the client's count of failures.
    const token = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '')?.[1];
    const account = token ? await this.auth.authenticate(token) : null;
    if (!account) {
      if (header) await this.refuseIfOverLimit(request.ip, context);
      if (access.public) return true;
      throw new CommonError(CommonErrorCode.Unauthenticated, header ? 'The bearer token is not valid.' : 'This route needs an Authorization: Bearer token.');
    }
    // The role the ledger records: the first of the account's roles that this route admits.
    const admitted = access.public ? [] : admittedRoles(access.roles, request.method);
    const actingRole = access.public ? account.roles[0] : account.roles.find((role) => admitted.includes(role));
    if (!actingRole) throw new CommonError(CommonErrorCode.Forbidden, `This route is for: ${admitted.join(', ')}.`);
    request.actor = { ...account, role: actingRole };
    return true;
  }

  /** Counts a failed authentication; past the limit, the client is told when to try again. */
  private async refuseIfOverLimit(client: string, context: ExecutionContext): Promise<void> {
    const retryAfter = await this.limiter.recordFailure(client);
    if (retryAfter === null) return;
    context.switchToHttp().getResponse<FastifyReply>().header('Retry-After', String(retryAfter));
    throw new CommonError(CommonErrorCode.TooManyAuthFailures, `Too many failed authentications; retry in ${retryAfter} s.`);
  }
}
