import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';

export const ROLES = ['admin', 'technician', 'ccj', 'member'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who is acting: the account behind the bearer token and the one role under which it acts on this
 * route (the first of its roles that the route admits), which is what the ledger records. Start-up
 * and the command line act as the system, which has no account.
 */
export interface Actor {
  id: string | null;
  name: string;
  roles: Role[];
  role: Role | 'system';
  subscriberId: string | null;
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ id: null, name: 'system', roles: [], role: 'system', subscriberId: null });

export const ACCESS_METADATA = 'lanterne:access';
export type RouteAccess = { public: true } | { public: false; roles: Role[] };

/** The roles allowed on a route. Every route states its access: one without it refuses to start. */
export const Roles = (...roles: [Role, ...Role[]]) => SetMetadata(ACCESS_METADATA, { public: false, roles } satisfies RouteAccess);

/** A route anyone may call without a token (health, transparency, checkpoints). */
export const Public = () => SetMetadata(ACCESS_METADATA, { public: true } satisfies RouteAccess);

export const NOT_AN_OPERATION = 'lanterne:not-an-operation';

/** A route outside the API (a web page, its stylesheet): no OpenAPI operation, hidden from the document. */
export const NotAnOperation = () => applyDecorators(SetMetadata(NOT_AN_OPERATION, true), ApiExcludeEndpoint());

/** The caller; set by the guard on every request that carried a valid token. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  return context.switchToHttp().getRequest<{ actor: Actor }>().actor;
});
