import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

export const ROLES = ['admin', 'technician', 'ccj', 'member'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling, as established by the bearer token. */
export interface Principal {
  accountId: string;
  name: string;
  roles: Role[];
  subscriberId: string | null;
}

/**
 * Who did something, as the ledger records it: the account and the one role under which it acted,
 * i.e. the first of the account's roles that the route admits. Start-up and the command line act as
 * the system, which has no account.
 */
export interface Actor {
  id: string | null;
  role: Role | 'system';
}

export const SYSTEM_ACTOR: Actor = Object.freeze({ id: null, role: 'system' });

export const ACCESS_METADATA = 'lanterne:access';
export type RouteAccess = { public: true } | { public: false; roles: Role[] };

/** The roles allowed on a route. Every route states its access: one without it refuses to start. */
export const Roles = (...roles: [Role, ...Role[]]) => SetMetadata(ACCESS_METADATA, { public: false, roles } satisfies RouteAccess);

/** A route anyone may call without a token (health, transparency, checkpoints). */
export const Public = () => SetMetadata(ACCESS_METADATA, { public: true } satisfies RouteAccess);

export const CurrentPrincipal = createParamDecorator((_: unknown, context: ExecutionContext): Principal => {
  return context.switchToHttp().getRequest<{ principal: Principal }>().principal;
});

/** The caller as the ledger records them; set by the guard on routes that need a token. */
export const CurrentActor = createParamDecorator((_: unknown, context: ExecutionContext): Actor => {
  return context.switchToHttp().getRequest<{ actor: Actor }>().actor;
});
